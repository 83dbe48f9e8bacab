package io.automatix.testing;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SLURM's own record of the jobs (scontrol keeps finished jobs for MinJobAge), to check ours against. */
public record SlurmJobs(List<Map<String, String>> jobs) {

    public static SlurmJobs now() {
        List<Map<String, String>> jobs = new ArrayList<>();
        for (String line : TestServices.run("scontrol", "-o", "show", "job").split("\n")) {
            if (!line.startsWith("JobId=")) {
                continue;
            }
            Map<String, String> job = new HashMap<>();
            for (String field : line.split(" ")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    job.put(field.substring(0, eq), field.substring(eq + 1));
                }
            }
            jobs.add(job);
        }
        return new SlurmJobs(jobs);
    }

    public List<Map<String, String>> named(String name) {
        return jobs.stream().filter(j -> name.equals(j.get("JobName"))).toList();
    }

    /** The one job of that name (fails if SLURM has none or several). */
    public Map<String, String> one(String name) {
        List<Map<String, String>> found = named(name);
        if (found.size() != 1) {
            throw new AssertionError("SLURM has " + found.size() + " job(s) named " + name + ": " + found);
        }
        return found.get(0);
    }

    public static LocalDateTime time(Map<String, String> job, String field) {
        return LocalDateTime.parse(job.get(field));
    }
}
