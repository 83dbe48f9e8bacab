# Test template: the first attempt runs until something ends it (a preemption); later ones succeed.
<#if job.attempt == 1>
sleep 300
<#else>
sleep 1
</#if>
