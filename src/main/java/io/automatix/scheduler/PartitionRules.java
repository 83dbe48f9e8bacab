package io.automatix.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.automatix.description.Walltime;

/**
 * Which partition a job goes to by its walltime: the first rule whose limit covers it. Written as
 * {@code standby<=4h, physics} (the seed's: up to 4 h on standby, longer on physics); a rule without
 * a limit takes everything. A step that names its partition keeps it. Each cluster has its own
 * ({@link SiteSettings}), the global {@code automatix.process.partition-rules} by default.
 */
public final class PartitionRules {

    private record Rule(String partition, Duration limit) {}

    private final List<Rule> rules;

    private PartitionRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** @throws IllegalArgumentException naming the setting and the bad rule */
    public static PartitionRules parse(String setting, String text) {
        List<Rule> rules = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                String[] r = part.strip().split("<=", 2);
                if (!r[0].strip().matches("[A-Za-z0-9_][A-Za-z0-9._-]*")) {
                    throw new IllegalArgumentException("bad setting '" + setting + "': '" + part.strip()
                            + "' is not 'partition' or 'partition<=walltime'");
                }
                try {
                    rules.add(new Rule(r[0].strip(), r.length == 2 ? Walltime.parse(r[1]) : null));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bad setting '" + setting + "': " + e.getMessage());
                }
            }
        }
        return new PartitionRules(rules);
    }

    /** @return the partition for a job of this walltime, or null for the scheduler's default */
    public String choose(Duration walltime) {
        for (Rule rule : rules) {
            if (rule.limit() == null || walltime.compareTo(rule.limit()) <= 0) {
                return rule.partition();
            }
        }
        return null;
    }
}
