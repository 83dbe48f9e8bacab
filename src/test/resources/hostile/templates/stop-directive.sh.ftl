# hostile: the template stops itself
<#stop "no script for you">
