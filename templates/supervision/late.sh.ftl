# Recovery of ${job.name} on ${cluster.name} (SLURM), supervision ${supervision.id}: the job runs (or
# waits) longer than expected. Cancel it and submit it again as ${next.name} with twice the walltime.
set -eu
cd ${sh(job.dir)}
<#if job.scheduler_job_id?has_content>
scancel ${sh(job.scheduler_job_id)} || true
</#if>
cp -- ${sh(job.name + ".sh")} ${sh(next.name + ".sh")}
id=$(sbatch --parsable --job-name=${sh(next.name)} --output=${sh(next.name + ".out")}<#if job.partition?has_content> --partition=${sh(job.partition)}</#if> --time=${next.walltime_minutes} ${sh(next.name + ".sh")})
echo "automatix-resubmitted ${r"${id%%;*}"}"
