package io.automatix.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.automatix.user.Principal;
import io.automatix.user.Role;

/**
 * What a principal may see of runs and sessions, as the parameters of the API's queries: {@code
 * :all} for operators and admins; else {@code :user} and {@code :groups} (comma-separated) against
 * a run's owner and group, with {@code :default_owner} and {@code :default_group} for runs that
 * have none (the acquisition system's). Each query filters in SQL, so that a limit counts only
 * what the user may see.
 */
final class OwnerScope {

    private final String defaultOwner;
    private final String defaultGroup;

    OwnerScope(String defaultOwner, String defaultGroup) {
        this.defaultOwner = defaultOwner;
        this.defaultGroup = defaultGroup;
    }

    Map<String, Object> of(Principal p) {
        Map<String, Object> params = new HashMap<>();
        params.put("all", p.role().covers(Role.OPERATOR));
        params.put("user", p.name());
        params.put("groups", String.join(",", p.groups()));
        params.put("default_owner", defaultOwner);
        params.put("default_group", ApiQueries.nullable(defaultGroup));
        return params;
    }

    /** {@link #of} with more parameters. */
    Map<String, Object> of(Principal p, Map<String, Object> more) {
        Map<String, Object> params = of(p);
        params.putAll(more);
        return params;
    }

    /**
     * The transfers' status ({@code Transfers.status()}) with only the runs this principal may see:
     * entries of its lists are kept when their {@code run} (or {@code name}) is visible.
     */
    Map<String, Object> transfers(Principal p, Map<String, Object> status, ApiQueries queries) {
        if (p.role().covers(Role.OPERATOR)) {
            return status;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        status.forEach((key, value) -> {
            if (value instanceof List<?> list) {
                List<Object> kept = new ArrayList<>();
                for (Object e : list) {
                    Object run =
                            e instanceof Map<?, ?> m ? (m.get("run") != null ? m.get("run") : m.get("name")) : null;
                    if (run instanceof String name && visible(p, name, queries)) {
                        kept.add(e);
                    }
                }
                out.put(key, kept);
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    /** Whether the run exists and this principal may see it. */
    boolean visible(Principal p, String run, ApiQueries queries) {
        List<Map<String, Object>> rows = queries.rows("run-owner.sql", of(p, Map.of("name", run)));
        return !rows.isEmpty() && Boolean.TRUE.equals(rows.get(0).get("visible"));
    }
}
