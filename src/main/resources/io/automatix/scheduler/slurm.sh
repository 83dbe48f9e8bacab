# shellcheck shell=sh
# SLURM's part of a submission script (see common.sh): the look-up of a job by name, and a step's
# own sbatch command.

# ax_lookup NAME DIR: a job of that name that squeue still lists (its array's id for a task), or a
# status file its script wrote (a job that ended longer ago than MinJobAge)
ax_lookup() {
  if ! found=$(squeue -h -t all --me --name="$1" -o %i 2>&1); then
    ax_refused "$1" "lookup failed: $found"
    return 0
  fi
  found=$(printf '%s\n' "$found" | head -n 1)
  if [ -n "$found" ]; then
    ax_found "$1" "${found%%_*}"
    return 0
  fi
  if [ -f "$2/$1.status" ]; then
    ax_found "$1" -
    return 0
  fi
  return 1
}

# ax_run_command NAME DIR LOOKUP ARRAY SECONDS ARGV...: the step's command calls sbatch itself,
# which takes the job's name and array from these variables (its partition and time limit come in
# the command's environment)
ax_run_command() {
  name=$1 array=$4
  shift 5
  if [ "$array" -gt 0 ]; then export SBATCH_ARRAY_INX="0-$((array - 1))"; fi
  SBATCH_JOB_NAME="$name" "$@"
}
