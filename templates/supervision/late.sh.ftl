# Recovery of ${job.name} on ${cluster.name} (SLURM), supervision ${supervision.id}: the job runs (or
# waits) longer than expected. Cancel it and submit it again as ${next.name} with twice the walltime.
set -eu
cd ${sh(job.dir)}
<#if job.scheduler_job_id?has_content>
scancel ${sh(job.scheduler_job_id)} || true
</#if>
<#include "submit-next.ftl">
