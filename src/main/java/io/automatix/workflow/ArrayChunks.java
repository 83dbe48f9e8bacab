package io.automatix.workflow;

import java.util.ArrayList;
import java.util.List;

import io.automatix.scheduler.JobSubmission;

/**
 * How the jobs of a parametric step are grouped into job arrays, given the most tasks one array may
 * have on its cluster (SLURM's MaxArraySize N: task indices 0 to N-1). A step that fits is one array
 * named after the step's job, as before; a larger one is split into arrays of at most that many
 * tasks, the k-th (from 0) named {@code <step's job>.c<k>} and holding the values from
 * {@code k * limit}. Each array's tasks are indexed from 0, task i of an array being the job
 * {@code <array>_<i>} (SLURM's {@code <array id>_<i>}) with the value of index offset + i. The
 * names depend only on the step's job, its count of values and the limit, so a router that plans
 * the same step again makes the same names (and the engine looks them up rather than submitting twice).
 */
final class ArrayChunks {

    private ArrayChunks() {}

    /** One job array of a step: its name, the index of its first value, its count of tasks. */
    record Chunk(String name, int offset, int size) {

        /** The job of task {@code index} (from 0) of this array. */
        String taskName(int index) {
            return JobSubmission.taskName(name, index);
        }
    }

    static List<Chunk> split(String base, int values, int limit) {
        if (values <= 0 || limit <= 0) {
            throw new IllegalArgumentException("an array needs values and a positive limit: " + values + ", " + limit);
        }
        if (values <= limit) {
            return List.of(new Chunk(base, 0, values));
        }
        List<Chunk> chunks = new ArrayList<>();
        for (int offset = 0, k = 0; offset < values; offset += limit, k++) {
            chunks.add(new Chunk(base + ".c" + k, offset, Math.min(limit, values - offset)));
        }
        return chunks;
    }
}
