# LargeArrayIT's task: one line with the parameter it was given, SLURM's ids for it and when it ran
# (after an optional nap), appended to tasks.txt in the step's directory.
start=$(date +%s.%N)
sleep ${step.variables.nap!"0"}
printf '%s %s %s_%s %s %s\n' "$AUTOMATIX_PARAMETER_INDEX" "$AUTOMATIX_PARAMETER" "$SLURM_ARRAY_JOB_ID" \
  "$SLURM_ARRAY_TASK_ID" "$start" "$(date +%s.%N)" >> tasks.txt
