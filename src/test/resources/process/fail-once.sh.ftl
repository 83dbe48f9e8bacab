# Test template: fails with exit code 1 on its first attempt, succeeds on the next.
<#if job.attempt == 1>
echo "attempt ${job.attempt} of ${job.name} fails on purpose" >&2
exit 1
</#if>
echo "attempt ${job.attempt} of ${job.name} succeeds"
