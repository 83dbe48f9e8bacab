# Test supervision template that does not render: no such variable.
echo ${job.no_such_variable}
