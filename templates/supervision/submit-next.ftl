<#-- Included by the SLURM recovery scripts: submits ${next.name} once. A dispatch can run twice (its
     router died, or the connection broke, after sbatch): the second run then finds the next attempt,
     by the id kept beside it or by name in SLURM, and reports it instead of submitting it again. -->
if [ -s ${sh(next.name + ".submitted")} ]; then
  echo "automatix-resubmitted $(cat ${sh(next.name + ".submitted")})"; exit 0
fi
found=$(squeue -h -t all --me --name=${sh(next.name)} -o %i)
found=$(printf '%s\n' "$found" | head -n 1)
if [ -n "$found" ]; then echo "automatix-resubmitted ${r"${found%%_*}"}"; exit 0; fi
if [ -e ${sh(next.name + ".status")} ]; then
  echo "${next.name} has run already but SLURM no longer knows its id" >&2; exit 1
fi
cp -- ${sh(job.name + ".sh")} ${sh(next.name + ".sh")}
id=$(sbatch --parsable --job-name=${sh(next.name)} --output=${sh(next.name + ".out")}<#if job.partition?has_content> --partition=${sh(job.partition)}</#if> --time=${next.walltime_minutes} ${sh(next.name + ".sh")})
printf '%s\n' "${r"${id%%;*}"}" > ${sh(next.name + ".submitted")}
echo "automatix-resubmitted ${r"${id%%;*}"}"
