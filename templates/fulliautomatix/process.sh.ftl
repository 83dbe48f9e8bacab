# Fulliautomatix: process one detector run where the transfer left it (this directory).
# ${step.variables.program} is the processing program (set in pipelines/fulliautomatix.yaml); runs
# without it installed just list what they would process.
set -eu
printf 'processing run %s (%s) on %s at %s\n' ${run.name} ${run.dir} "$(hostname)" "$(date -u +%FT%TZ)"
if command -v ${step.variables.program} >/dev/null 2>&1; then
  ${step.variables.program} --run ${run.name} --input . --output processed
else
  mkdir -p processed
  find . -path ./.automatix -prune -o -type f -print | sort > processed/inventory.txt
  printf '%s file(s) inventoried (no %s here)\n' "$(wc -l < processed/inventory.txt)" ${step.variables.program}
fi
