# Recovery of ${job.name} on ${cluster.name} (SLURM), supervision ${supervision.id}: the job runs (or
# waits) longer than expected. Cancel it and submit it again as ${next.name} with twice the walltime.
set -eu
<#include "site.ftl">
cd ${job.dir}
<#if job.scheduler_job_id?has_content>
scancel<#if cluster.slurm_clusters?has_content> -M ${cluster.slurm_clusters}</#if> ${job.scheduler_job_id} || true
</#if>
<#include "submit-next.ftl">
