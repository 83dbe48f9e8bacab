# Test template: the first attempt of the step fails (exit 3), later ones succeed.
if [ ! -e ${sh(".failed-" + step.name)} ]; then
  touch ${sh(".failed-" + step.name)}
  echo "failing once on purpose" >&2
  exit 3
fi
echo "second time lucky"
