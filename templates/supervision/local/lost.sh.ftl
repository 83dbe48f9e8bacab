# Recovery of ${job.name} on the local cluster, supervision ${supervision.id} (${supervision.trigger}):
# start its script again as its next attempt, ${next.name}, as the local scheduler starts jobs.
set -eu
cd ${sh(job.dir)}
<#if supervision.trigger == "late" && job.scheduler_job_id?has_content>
kill -TERM -- -${job.scheduler_job_id} 2>/dev/null || true
</#if>
# dispatched twice (a router died after starting it): report the attempt already started
if [ -s ${sh(next.name + ".pid")} ]; then echo "automatix-resubmitted $(cat ${sh(next.name + ".pid")})"; exit 0; fi
cp -- ${sh(job.name + ".sh")} ${sh(next.name + ".sh")}
( export AUTOMATIX_JOB=${sh(next.name)}; exec setsid timeout -k 10 ${next.walltime_seconds} sh ${sh("./" + next.name + ".sh")} > ${sh(next.name + ".out")} 2>&1 < /dev/null ) &
echo $! > ${sh(next.name + ".pid")}
echo "automatix-resubmitted $!"
