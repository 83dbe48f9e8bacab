# hostile: names a variable the model does not have
echo start
echo ${run.no_such_variable}
