# hostile: an unclosed directive
echo start
<#if run.name == "x">
echo never closed
