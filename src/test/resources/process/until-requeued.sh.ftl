# Test template: runs until SLURM requeues it (SLURM sets SLURM_RESTART_COUNT from the first
# requeue on), then succeeds.
if [ -z "$SLURM_RESTART_COUNT" ]; then
  sleep 300
fi
