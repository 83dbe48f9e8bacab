# shellcheck shell=sh
# SLURM's part of a submission script (see common.sh): the look-up of a job by name, and a step's
# own sbatch command. ax_clusters is the site's --clusters (-M), empty for the local cluster; it is
# set before these functions.
# shellcheck disable=SC2154 # ax_clusters is the site's

# ax_lookup NAME DIR: a job of that name that squeue still lists (its array's id for a task), or a
# status file its script wrote (a job that ended longer ago than MinJobAge). "-u" rather than
# "--me", which SLURM before 20.11 lacks.
ax_lookup() {
  if ! found=$(squeue ${ax_clusters:+-M "$ax_clusters"} -h -t all -u "$(id -un)" --name="$1" -o %i 2>&1); then
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
  if [ "$array" != 0 ]; then export SBATCH_ARRAY_INX="$array"; fi
  if [ -n "$ax_clusters" ]; then export SBATCH_CLUSTERS="$ax_clusters"; fi
  SBATCH_JOB_NAME="$name" "$@"
}

# ax_squeue: every job of the account squeue still knows (for MinJobAge after it ended), a task
# of an array on a line of its own: "<id>|<name>|<state>"
ax_squeue() {
  squeue ${ax_clusters:+-M "$ax_clusters"} -h -r -t all -u "$(id -un)" -o '%i|%j|%T'
}

# ax_scancel ID...: cancels these jobs
ax_scancel() {
  scancel ${ax_clusters:+-M "$ax_clusters"} -- "$@"
}

# ax_accounting < JOBS: one sacct for the watched jobs squeue no longer lists as waiting or running
# (ended, or forgotten after MinJobAge): their allocation's and steps' state, exit code and signal,
# elapsed time, time limit, memory asked and used, and node. A site without accounting says so.
# shellcheck disable=SC2154 # ax_listed is ax_query's (common.sh)
ax_accounting() {
  ids=$({ printf '%s\n' "$ax_listed" | sed 's/^/L|/'; sed 's/^/W|/'; } | awk -F'|' '
    $1 == "L" && $4 ~ /^(PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED|REQUEUED|REQUEUE_HOLD|REQUEUE_FED|RESIZING|SIGNALING|STAGE_OUT|STOPPED)$/ { waiting[$2] = 1; next }
    $1 == "W" && $3 ~ /^[0-9][0-9_]*$/ && !($3 in waiting) { printf "%s%s", sep, $3; sep = "," }')
  [ -n "$ids" ] || return 0 # nothing to ask
  if a=$(sacct ${ax_clusters:+-M "$ax_clusters"} -n -P -j "$ids" -o JobID,State,ExitCode,Elapsed,Timelimit,ReqMem,MaxRSS,NodeList 2>&1); then
    [ -n "$a" ] && printf '%s\n' "$a" | sed 's/^/acct /'
    echo "accounting ok"
  elif printf '%s' "$a" | grep -q 'accounting storage is disabled'; then
    echo "accounting off: $(ax_oneline "$a")"
  else
    echo "accounting failed: $(ax_oneline "$a")"
  fi
}
