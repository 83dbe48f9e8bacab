# CyberShake step ${step.name} of realisation ${run.name}: runs ${step.variables.program} when the
# cluster has it, otherwise stands in for it (writes a marker after ${step.variables.seconds} s), so the
# DAG can be exercised anywhere.
set -eu
mkdir -p ${sh(step.name)}
if command -v ${sh(step.variables.program)} >/dev/null 2>&1; then
  ${sh(step.variables.program)} ${sh(run.name)} ${sh(step.name)}
else
  sleep ${step.variables.seconds}
  echo "${step.name} of ${run.name} done at $(date +%s.%N)" > ${sh(step.name + "/done")}
fi
