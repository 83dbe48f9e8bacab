# shellcheck shell=sh
# The shell functions every batch system shares, put at the top of each submission or poll script
# (one "sh -s" per batch of jobs, see ShellScheduler). A batch system's own file (slurm.sh,
# local.sh) defines the rest:
#   ax_lookup NAME DIR        prints "found" (or "refused") and succeeds when an earlier
#                             submission of the job is there; fails when there is none
#   ax_run_command ARGS...    runs a job that is a command (the arguments of ax_command)
# What the router reads back, one fact per line (a job's name never contains a space):
#   found <name> <id, or - when not known>   an earlier submission is there: nothing was submitted
#   refused <name> <text>                    not submitted now (the batch system says whether for good)
#   rejected <name> <text>                   cannot be submitted as it is
#   answer <name> <line>                     a line of the submit command's answer, then
#   done <name> <exit status> <time>         that command's exit status and when it returned
#   job <line>                               a line of the batch system's poll answer, then
#   query ok | query failed: <text>
#   acct <line>                              a line of the batch system's accounting of ended
#                                            jobs (ax_accounting), then
#   accounting ok | accounting off: <text> | accounting failed: <text>
#   account <uid> <user>                     the account the commands run as
#   status <file>|<last line>                a job's status file

# ax_job_dir DIR: makes a job's directory; where the site names a group (ax_group, set before these
# functions with the site's umask and preamble), it is the directory's, and set-group-ID passes it
# to what the job writes there
# shellcheck disable=SC2154 # ax_group is the site's
ax_job_dir() {
  mkdir -p -- "$1" || return
  [ -z "$ax_group" ] || { chgrp -- "$ax_group" "$1" && chmod g+s -- "$1"; }
}

# ax_oneline TEXT: TEXT on one line, to end an answer line with
ax_oneline() {
  printf %s "$1" | tr '\n' ' '
}

ax_found() {
  printf 'found %s %s\n' "$1" "$2"
}

ax_refused() {
  printf 'refused %s %s\n' "$1" "$(ax_oneline "$2")"
}

ax_rejected() {
  printf 'rejected %s %s\n' "$1" "$(ax_oneline "$2")"
}

# ax_answer NAME STATUS OUTPUT: what the submit command printed, line by line, then its exit status
# and the time (the router finds the job id in the lines)
ax_answer() {
  printf '%s\n' "$3" | while IFS= read -r line; do printf 'answer %s %s\n' "$1" "$line"; done
  printf 'done %s %s %s\n' "$1" "$2" "$(date +%s.%N)"
}

# ax_submit NAME DIR LOOKUP COMMAND...: unless LOOKUP is 1 and ax_lookup finds the job, runs the
# batch system's submit COMMAND in the job's directory DIR, where its script was written
ax_submit() {
  name=$1 dir=$2 lookup=$3
  shift 3
  if [ "$lookup" = 1 ] && ax_lookup "$name" "$dir"; then return; fi
  if out=$(cd -- "$dir" && "$@" 2>&1); then
    ax_answer "$name" 0 "$out"
  else
    ax_answer "$name" "$?" "$out"
  fi
}

# ax_command NAME DIR LOOKUP ARRAY SECONDS ARGV...: a job that is a command, started by the batch
# system's ax_run_command (given the same arguments) in the step's working directory; ARRAY is its
# tasks as the batch system's array option reads them (0-999%50; 0: not an array), SECONDS its walltime
ax_command() {
  name=$1 dir=$2 lookup=$3
  if [ "$lookup" = 1 ] && ax_lookup "$name" "$dir"; then return; fi
  if out=$(ax_run_command "$@" 2>&1 < /dev/null); then
    ax_answer "$name" 0 "$out"
  else
    ax_answer "$name" "$?" "$out"
  fi
}

# ax_query COMMAND... < JOBS: the batch system's one query for all the jobs of a cluster; JOBS has a
# "<name>|<id, or ->" line per job, for a batch system that must ask about each. Its answer stays in
# ax_listed for ax_accounting.
ax_query() {
  ax_listed=
  if q=$("$@" 2>&1); then
    # shellcheck disable=SC2034 # read by the batch system's ax_accounting
    ax_listed=$q
    [ -n "$q" ] && printf '%s\n' "$q" | sed 's/^/job /'
    echo "query ok"
  else
    echo "query failed: $(ax_oneline "$q")"
  fi
  printf 'account %s %s\n' "$(id -u)" "$(id -un)"
}

# ax_accounting < JOBS: what the batch system's accounting knows of the jobs that ended; a batch
# system with accounting defines its own after this one
# shellcheck disable=SC2317 # replaced by that one, where there is one
ax_accounting() {
  cat > /dev/null
}

# ax_status_files < FILES: the last line of each status file there is (the job writes it), read by
# one awk for all of them rather than a process per file (a poll of 1,000 jobs forks one, not 1,000)
ax_status_files() {
  awk '{
    f = $0; last = ""
    if ((r = (getline line < f)) < 0) next
    while (r > 0) { last = line; r = (getline line < f) }
    close(f)
    printf "status %s|%s\n", f, last
  }'
}
