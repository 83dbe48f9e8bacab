# Recovery of ${job.name} on ${cluster.name} (SLURM), supervision ${supervision.id}: the job failed
# (exit code ${job.exit_code}; the router's error follows as the argument of ':', which does nothing)
# and its retries are spent. Submit its script again as its next attempt, ${next.name}, and say so:
# Automatix follows the new job.
set -eu
: ${job.error}
<#include "site.ftl">
cd ${job.dir}
tail -n 20 -- ${job.name + ".out"} 2>/dev/null | sed 's/^/previous output: /' >&2 || true
<#include "submit-next.ftl">
