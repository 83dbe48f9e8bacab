# CyberShake step ${step.name} of realisation ${run.name}: runs ${step.variables.program} when the
# cluster has it, otherwise stands in for it (writes a marker after ${step.variables.seconds} s), so the
# DAG can be exercised anywhere.
set -eu
mkdir -p ${step.name}
if command -v ${step.variables.program} >/dev/null 2>&1; then
  ${step.variables.program} ${run.name} ${step.name}
else
  sleep ${step.variables.seconds}
  printf '%s of %s done at %s\n' ${step.name} ${run.name} "$(date +%s.%N)" > ${step.name + "/done"}
fi
