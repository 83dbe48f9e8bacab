#!/bin/sh
# Automatix job ${job.name}: step ${step.name} of run ${run.name}, attempt ${job.attempt}, on ${cluster.name}.
# This wrapper reports 'started' and 'finished <exit code>' in the status file beside it (always)
# and to the automatix.job-status queue (when the compute nodes can reach the broker), then runs the
# step's template (${step.template}) in the run's directory. Edit it with care: the router relies
# on the status file's last line being "started <time>" or "finished <code> [signals] <time>".
<#-- the step's resources as the cluster's batch system reads them in a script (#SBATCH --mem=4G) -->
<#list directives![] as directive>
${directive?no_esc}
</#list>
<#if cluster.umask?has_content>
# The site's umask for what the job writes (automatix.clusters.${cluster.name}.job-umask)
umask ${cluster.umask}
</#if>
<#if cluster.preamble?has_content>
# The site's preamble (automatix.clusters.${cluster.name}.preamble)
${cluster.preamble?no_esc}
</#if>
# A recovery script may run this file again as a later attempt, under that attempt's name.
job=<#noparse>${AUTOMATIX_JOB:-${SLURM_JOB_NAME:-</#noparse>${job.name}}}
<#if parameters?? && parameters?has_content>
# A parametric step: task i of the array (or the job of one value) runs with the value of index
# <the array's offset> + i (a step larger than the cluster's MaxArraySize is split into arrays that
# each start at 0); a task resubmitted on its own by a recovery script is told its index.
if [ -z "<#noparse>${AUTOMATIX_PARAMETER_INDEX:-}</#noparse>" ] && [ -n "<#noparse>${SLURM_ARRAY_TASK_ID:-}</#noparse>" ]; then
  AUTOMATIX_PARAMETER_INDEX=$((${job.array_offset!0} + SLURM_ARRAY_TASK_ID))
fi
AUTOMATIX_PARAMETER_INDEX=<#noparse>${AUTOMATIX_PARAMETER_INDEX:-</#noparse>${job.parameter_index}}
if [ -n "<#noparse>${SLURM_ARRAY_TASK_ID:-}</#noparse>" ]; then job="<#noparse>${job}_${SLURM_ARRAY_TASK_ID}</#noparse>"; fi
case "$AUTOMATIX_PARAMETER_INDEX" in
<#list parameters as p>
  ${p?index}) AUTOMATIX_PARAMETER=${p} ;;
</#list>
esac
export AUTOMATIX_PARAMETER AUTOMATIX_PARAMETER_INDEX
</#if>
status="$job.status"
report() {
  now=$(date +%s.%N)
  printf '%s %s\n' "$*" "$now" > "$status.tmp" && mv -f "$status.tmp" "$status"
<#if push?has_content>
  if command -v amqp-publish >/dev/null 2>&1; then
    if [ "$1" = finished ]; then code=",\"exit_code\":$2"; else code=; fi
    amqp-publish --url=${push} -r automatix.job-status -C application/json \
      -b "{\"job\":\"$job\",\"event\":\"$1\"$code,\"at\":$now,\"scheduler_job_id\":\"<#noparse>${SLURM_JOB_ID:-}</#noparse>\"}" \
      >/dev/null 2>&1 || true
  fi
</#if>
}
# The batch system signals this shell before it ends the job: USR1 a while before the walltime
# (sbatch --signal), TERM on scancel, preemption and the walltime. The status file says which came
# ("finished <code> USR1 TERM <time>"), so the router can tell why. TERM is passed on to the step;
# USR1 is not (its default action would end a step that does not expect it).
signals=
trap 'signals="<#noparse>${signals:+$signals }</#noparse>TERM"; kill -TERM "$step" 2>/dev/null' TERM
trap 'signals="<#noparse>${signals:+$signals }</#noparse>USR1"' USR1
report started
(
<#if workdir??>
  mkdir -p -- ${workdir} && cd -- ${workdir} || exit 70
<#else>
  cd .. || exit 70
</#if>
<#include step.template>
) &
step=$!
# wait returns early when a signal is caught: wait again until the step has ended
while :; do
  wait "$step"
  rc=$?
  kill -0 "$step" 2>/dev/null || break
done
# shellcheck disable=SC2086 # one word per signal
report finished "$rc" $signals
exit "$rc"
