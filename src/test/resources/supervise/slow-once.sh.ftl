# Test template: the first attempt of the step runs for ${step.variables.seconds} s, later ones return at once.
if [ ! -e ${".slow-" + step.name} ]; then
  touch ${".slow-" + step.name}
  sleep ${step.variables.seconds}
fi
echo done
