# Test template: outlives its walltime on its first attempt (SLURM ends it TIMEOUT), ends at once on the next.
<#if job.attempt == 1>
sleep 600
</#if>
echo "attempt ${job.attempt} of ${job.name} ends in time"
