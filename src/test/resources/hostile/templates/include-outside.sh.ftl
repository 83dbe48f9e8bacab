# hostile: include a file outside templates/
<#include "../../../../../etc/passwd">
