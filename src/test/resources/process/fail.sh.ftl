# Test template: a step that always fails, with exit code 3.
echo "step ${step.name} of ${run.name} fails on purpose" >&2
exit 3
