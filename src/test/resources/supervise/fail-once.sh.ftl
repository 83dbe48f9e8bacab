# Test template: the first attempt of the step fails (exit 3), later ones succeed.
if [ ! -e ${".failed-" + step.name} ]; then
  touch ${".failed-" + step.name}
  echo "failing once on purpose" >&2
  exit 3
fi
echo "second time lucky"
