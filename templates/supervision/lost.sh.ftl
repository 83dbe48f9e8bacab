# Recovery of ${job.name} on ${cluster.name} (SLURM), supervision ${supervision.id}: the job is gone
# from the scheduler without an outcome (${job.error}). Submit its script again as ${next.name}.
set -eu
cd ${sh(job.dir)}
cp -- ${sh(job.name + ".sh")} ${sh(next.name + ".sh")}
id=$(sbatch --parsable --job-name=${sh(next.name)} --output=${sh(next.name + ".out")}<#if job.partition?has_content> --partition=${sh(job.partition)}</#if> --time=${next.walltime_minutes} ${sh(next.name + ".sh")})
echo "automatix-resubmitted ${r"${id%%;*}"}"
