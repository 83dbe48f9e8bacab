# Recovery of ${job.name} on the local cluster, supervision ${supervision.id} (${supervision.trigger}):
# start its script again as its next attempt, ${next.name}, as the local scheduler starts jobs.
set -eu
cd ${job.dir}
<#if supervision.trigger == "late" && job.scheduler_job_id?has_content>
kill -TERM -- -${job.scheduler_job_id} 2>/dev/null || true
</#if>
# dispatched twice (a router died after starting it): report the attempt already started
if [ -s ${next.name + ".pid"} ]; then echo "automatix-resubmitted $(cat ${next.name + ".pid"})"; exit 0; fi
cp -- ${job.name + ".sh"} ${next.name + ".sh"}
( export AUTOMATIX_JOB=${next.name}; exec setsid timeout -k 10 ${next.walltime_seconds} sh ${"./" + next.name + ".sh"} > ${next.name + ".out"} 2>&1 < /dev/null ) &
echo $! > ${next.name + ".pid"}
echo "automatix-resubmitted $!"
