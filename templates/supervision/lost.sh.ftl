# Recovery of ${job.name} on ${cluster.name} (SLURM), supervision ${supervision.id}: the job is gone
# from the scheduler without an outcome (${job.error}). Submit its script again as ${next.name}.
set -eu
<#include "site.ftl">
cd ${sh(job.dir)}
<#include "submit-next.ftl">
