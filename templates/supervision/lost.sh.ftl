# Recovery of ${job.name} on ${cluster.name} (SLURM), supervision ${supervision.id}: the job is gone
# from the scheduler without an outcome (the router's error follows as the argument of ':', which
# does nothing). Submit its script again as ${next.name}.
set -eu
: ${job.error}
<#include "site.ftl">
cd ${job.dir}
<#include "submit-next.ftl">
