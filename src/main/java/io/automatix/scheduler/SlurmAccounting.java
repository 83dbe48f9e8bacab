package io.automatix.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code sacct -P -o JobID,State,ExitCode,Elapsed,Timelimit,ReqMem,MaxRSS,NodeList} (see
 * slurm.sh's ax_accounting): the allocation's line ({@code 42}, {@code 42_3}) has the job's
 * state, exit code, times, memory asked and node; its steps' lines ({@code 42.batch}) have the
 * memory used, of which the most counts.
 */
final class SlurmAccounting {

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d+):(\\d+)(?:\\.\\d+)?");
    private static final Pattern SIZE = Pattern.compile("([0-9.]+)([KMGTP]?)[nc]?");

    private SlurmAccounting() {}

    static Map<String, EndFacts> parse(List<String> lines) {
        Map<String, EndFacts> jobs = new HashMap<>();
        Map<String, Long> used = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split("\\|", -1);
            if (f.length < 8) {
                continue;
            }
            int dot = f[0].indexOf('.');
            String id = dot < 0 ? f[0] : f[0].substring(0, dot);
            Long rss = bytes(f[6]);
            if (rss != null) {
                used.merge(id, rss, Math::max);
            }
            if (dot < 0) {
                String[] code = f[2].split(":");
                jobs.put(
                        id,
                        new EndFacts(
                                f[1].strip(),
                                integer(code[0]),
                                code.length > 1 ? integer(code[1]) : null,
                                seconds(f[3]),
                                seconds(f[4]),
                                memoryAsked(f[5]),
                                null,
                                f[7].isBlank() || f[7].equals("None assigned") ? null : f[7]));
            }
        }
        jobs.replaceAll((id, e) -> new EndFacts(
                e.state(),
                e.exitCode(),
                e.signal(),
                e.elapsedSeconds(),
                e.limitSeconds(),
                e.memoryAsked(),
                used.get(id),
                e.node()));
        return jobs;
    }

    /** SLURM's [D-]HH:MM:SS or MM:SS; null for UNLIMITED, Partition_Limit or nothing. */
    static Long seconds(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long hours = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        return ((days * 24 + hours) * 60 + Long.parseLong(m.group(3))) * 60 + Long.parseLong(m.group(4));
    }

    /** SLURM's sizes: 321952K, 50M, 1.5G (powers of 1024; a bare number is bytes); null for none. */
    static Long bytes(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        int power = m.group(2).isEmpty() ? 0 : "KMGTP".indexOf(m.group(2)) + 1;
        return (long) (Double.parseDouble(m.group(1)) * Math.pow(1024, power));
    }

    /**
     * ReqMem, which slurmdbd shows as a few bytes ("16?") until slurmctld has sent it the job's
     * record in full: less than a MiB is taken as not known yet.
     */
    private static Long memoryAsked(String text) {
        Long bytes = bytes(text);
        return bytes == null || bytes < (1 << 20) ? null : bytes;
    }

    private static Integer integer(String text) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
