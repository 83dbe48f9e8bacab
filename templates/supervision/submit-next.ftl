<#-- Included by the SLURM recovery scripts: submits ${next.name} once. A dispatch can run twice (its
     router died, or the connection broke, after sbatch): the second run then finds the next attempt,
     by the id kept beside it or by name in SLURM, and reports it instead of submitting it again. -->
if [ -s ${next.name + ".submitted"} ]; then
  echo "automatix-resubmitted $(cat ${next.name + ".submitted"})"; exit 0
fi
found=$(squeue<#if cluster.slurm_clusters?has_content> -M ${cluster.slurm_clusters}</#if> -h -t all -u "$(id -un)" --name=${next.name} -o %i)
found=$(printf '%s\n' "$found" | head -n 1)
if [ -n "$found" ]; then echo "automatix-resubmitted <#noparse>${found%%_*}</#noparse>"; exit 0; fi
if [ -e ${next.name + ".status"} ]; then
  printf '%s has run already but SLURM no longer knows its id\n' ${next.name} >&2; exit 1
fi
<#if job.command?has_content>
# a workflow step's command submits itself (SLURM takes the name and time limit from SBATCH_*)
out=$(cd ${job.workdir} && env<#list job.environment as key, value> ${key + "=" + value}</#list> <#if cluster.slurm_clusters?has_content> SBATCH_CLUSTERS=${cluster.slurm_clusters}</#if> SBATCH_JOB_NAME=${next.name} SBATCH_TIMELIMIT=${next.walltime_minutes}<#if job.parameter_index?has_content> AUTOMATIX_PARAMETER_INDEX=${job.parameter_index}</#if> <#list job.command as word>${word} </#list>< /dev/null)
id=$(printf '%s\n' "$out" | sed -n 's/^Submitted batch job \([0-9][0-9]*\).*/\1/p' | tail -n 1)
[ -n "$id" ] || id=$(printf '%s\n' "$out" | tail -n 1 | sed -n 's/^\([0-9][0-9]*\)\(;.*\)\{0,1\}$/\1/p')
[ -n "$id" ] || { echo "the command printed no job id: $out" >&2; exit 1; }
<#else>
cp -- ${job.script} ${next.name + ".sh"}
<#-- a task of an array, submitted on its own, is told its index -->
id=$(<#if job.parameter_index?has_content>AUTOMATIX_PARAMETER_INDEX=${job.parameter_index} </#if>sbatch --parsable --job-name=${next.name} --output=${next.name + ".out"}<#if job.partition?has_content> --partition=${job.partition}</#if> --time=${next.walltime_minutes}<#list cluster.submit_options as option> ${option}</#list> ${next.name + ".sh"})
</#if>
printf '%s\n' "<#noparse>${id%%;*}</#noparse>" > ${next.name + ".submitted"}
echo "automatix-resubmitted <#noparse>${id%%;*}</#noparse>"
