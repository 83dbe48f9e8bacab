#!/bin/sh
# Automatix job ${job.name}: step ${step.name} of run ${run.name}, attempt ${job.attempt}, on ${cluster.name}.
# This wrapper reports 'started' and 'finished <exit code>' in the status file beside it (always)
# and, signed, to the automatix.job-status exchange (when the compute nodes can reach the broker), then runs the
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
<#if push?has_content>
# this job's key and broker login (mode 600, written with the script); a later attempt run from a copy
# of this script signs with them too
push_key_name=${push.key_name} push_key=${push.key} push_login=${push.credentials}
</#if>
report() {
  now=$(date +%s.%N)
  printf '%s %s\n' "$*" "$now" > "$status.tmp" && mv -f "$status.tmp" "$status"
<#if push?has_content>
  # Pushed to the broker as well, signed (HMAC-SHA256 of the message) with this job's key: the key and
  # the broker's login are in files beside this script that only the service account reads, and are
  # on no command line. Without an amqp-publish that reads its login from a file, or without openssl,
  # nothing is pushed and the polls read the status file.
  if [ -r "$push_key" ] && [ -r "$push_login" ] && command -v openssl >/dev/null 2>&1 \
      && amqp-publish --help 2>&1 | grep -q -e --authfile; then
    if [ "$1" = finished ]; then code=",\"exit_code\":$2"; else code=; fi
    body="{\"job\":\"$job\",\"event\":\"$1\"$code,\"at\":$now,\"scheduler_job_id\":\"<#noparse>${SLURM_JOB_ID:-}</#noparse>\",\"key\":\"$push_key_name\"}"
    # the key file holds the key padded (K xor ipad, K xor opad): HMAC = H(K^opad . H(K^ipad . body))
    mac=$({ sed -n 2p "$push_key" | openssl base64 -d -A
            printf '%s' "$body" | { sed -n 1p "$push_key" | openssl base64 -d -A; cat; } | openssl dgst -sha256 -binary
          } | openssl dgst -sha256 -r) || mac=
    mac=<#noparse>${mac%% *}</#noparse>
    if [ -n "$mac" ]; then
      amqp-publish --server=${push.server} --port=${push.port?c} --vhost=${push.vhost}<#if push.ssl> --ssl</#if> \
        --authfile="$push_login" -e ${push.exchange} -C application/json -H "automatix-mac: $mac" -b "$body" \
        >/dev/null 2>&1 || true
    fi
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
