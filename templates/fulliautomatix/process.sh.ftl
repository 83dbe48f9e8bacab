# Fulliautomatix: process one detector run where the transfer left it (this directory).
# ${step.variables.program} is the processing program (set in pipelines/fulliautomatix.yaml); runs
# without it installed just list what they would process.
set -eu
echo "processing run ${run.name} (${run.dir}) on $(hostname) at $(date -u +%FT%TZ)"
if command -v ${sh(step.variables.program)} >/dev/null 2>&1; then
  ${sh(step.variables.program)} --run ${sh(run.name)} --input . --output processed
else
  mkdir -p processed
  find . -path ./.automatix -prune -o -type f -print | sort > processed/inventory.txt
  echo "$(wc -l < processed/inventory.txt) file(s) inventoried (no ${step.variables.program} here)"
fi
