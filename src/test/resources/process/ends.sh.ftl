# Test template: a step that ends the way its variable "end" says: ok, exit (code 3), oom (more
# memory than the 100M it asks for), sleep (until the walltime or a cancel ends it), slow-ok and
# slow-exit (after 8 s), slow-oom (more memory after 8 s).
<#switch step.variables.end>
<#case "oom">
python3 -c "a = bytearray(300 * 1024 * 1024); import time; time.sleep(5)"
<#break>
<#case "slow-oom">
sleep 8
python3 -c "a = bytearray(300 * 1024 * 1024); import time; time.sleep(5)"
<#break>
<#case "sleep">
sleep 600
<#break>
<#case "exit">
exit 3
<#break>
<#case "slow-ok">
sleep 8
<#break>
<#case "slow-exit">
sleep 8
exit 3
<#break>
<#default>
true
</#switch>
