<#-- Included by the SLURM recovery scripts after "set -eu": the site's umask and preamble
     (automatix.clusters.<name>.job-umask, .preamble), as its scheduler commands have them. -->
<#if cluster.umask?has_content>
umask ${cluster.umask}
</#if>
<#if cluster.preamble?has_content>
set +eu
{
${cluster.preamble?no_esc}
} >&2
set -eu
</#if>
