# shellcheck shell=sh
# The local batch system's part of a submission or poll script (see common.sh): a job is a process
# of this host in a session of its own (so that it outlives the router and is cancelled with its
# children), its walltime enforced by timeout(1), its process id (kept in <name>.pid) its job id.

# ax_lookup NAME DIR: the job was started if its pid file or its status file is there
ax_lookup() {
  if [ -f "$2/$1.pid" ] || [ -f "$2/$1.status" ]; then
    ax_found "$1" "$(cat -- "$2/$1.pid" 2>/dev/null || echo -)"
    return 0
  fi
  return 1
}

# ax_start NAME SECONDS: starts the job's script, in the current directory (the job's), and prints
# its process id
ax_start() {
  ( exec setsid timeout -k 10 "$2" sh "./$1.sh" > "$1.out" 2>&1 < /dev/null ) &
  echo $! > "$1.pid"
  echo $!
}

# ax_run_command NAME DIR LOOKUP ARRAY SECONDS ARGV...: with no batch system the command is the
# job: its shell is named after the job's script (as ax_running expects) and writes the status
# file when the command ends
ax_run_command() {
  name=$1 dir=$2 seconds=$5
  shift 5
  # shellcheck disable=SC2016 # expanded by the job's own shell, not this one
  ( exec setsid timeout -k 10 "$seconds" sh -c '"$@"; printf "finished %s %s\n" $? "$(date +%s.%N)" > "${0%.sh}.status"' \
      "$dir/$name.sh" "$@" > "$dir/$name.out" 2>&1 < /dev/null ) &
  echo $! > "$dir/$name.pid"
  echo $!
}

# ax_cancel PID...: ends each job's process group (the shell's kill takes -PID, not "--")
ax_cancel() {
  rc=0
  for pid in "$@"; do kill -TERM "-$pid" || rc=$?; done
  return "$rc"
}

# ax_running < JOBS: "<pid>|<name>|RUNNING" for each job whose process still runs its script (a
# pid alone proves nothing: pids are reused)
ax_running() {
  while IFS='|' read -r name pid; do
    if [ "$pid" != - ] && ps -o args= -p "$pid" 2>/dev/null | grep -qF -- "$name.sh"; then
      echo "$pid|$name|RUNNING"
    fi
  done
}
