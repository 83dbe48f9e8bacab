-- A parametric step larger than its cluster's MaxArraySize is planned as several job arrays (see
-- SessionDriver), each with its own array_name and array_size:
--   array_index     the job's task in its array (SLURM_ARRAY_TASK_ID, from 0); the job's parameter
--                   index is the array's offset plus it. Meaningful while array_name is set.
--   array_throttle  at most this many tasks of the array run at once (sbatch --array=...%k); null: no limit
ALTER TABLE jobs
    ADD COLUMN array_index    integer CHECK (array_index >= 0),
    ADD COLUMN array_throttle integer CHECK (array_throttle > 0);
-- arrays planned before were never split: a task's index in its array is its parameter's
UPDATE jobs SET array_index = parameter_index WHERE array_name IS NOT NULL;
