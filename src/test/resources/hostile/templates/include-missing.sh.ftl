# hostile: include a template that does not exist

<#include "hostile/nowhere.ftl">
