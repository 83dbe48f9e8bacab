package io.automatix.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;

/** The archive flow's transitions of runs and bundles. */
final class ArchiveStore {

    private static final String CLAIM_COMPRESS = sql("claim-compress.sql");
    private static final String COMPRESSED = sql("compressed.sql");
    private static final String COMPRESS_FAILED = sql("compress-failed.sql");
    private static final String WAITING = sql("waiting.sql");
    private static final String CLAIM_MEMBERS = sql("claim-members.sql");
    private static final String INSERT_BUNDLE = sql("insert-bundle.sql");
    private static final String INSERT_MEMBER = sql("insert-member.sql");
    private static final String BUNDLE_BUILT = sql("bundle-built.sql");
    private static final String BUNDLE_FAILED = sql("bundle-failed.sql");
    private static final String BUNDLE_VERIFIED = sql("bundle-verified.sql");
    private static final String STALE_BUNDLES = sql("stale-bundles.sql");
    private static final String FIND_ARCHIVED = sql("find-archived.sql");

    record RunToCompress(long id, String name, String cluster) {}

    record Member(long id, String name, String cluster, String file, long bytes, String sha256, String files) {}

    record Waiting(long runs, long bytes, double oldestSeconds) {}

    record Archived(String bucket, String key, String bundleSha256, long bundleBytes, String runSha256, String file) {}

    private final Transactions transactions;
    private final String router;

    ArchiveStore(Transactions transactions, String router) {
        this.transactions = transactions;
        this.router = router;
    }

    /** @param waiting clusters waiting for a person's login: none of their runs is claimed */
    List<RunToCompress> claimCompress(int limit, Duration lease, List<String> waiting) {
        List<String> none = waiting.isEmpty() ? List.of("") : waiting; // NOT IN () is not SQL
        return transactions.as(
                router,
                jdbc -> jdbc.query(
                        CLAIM_COMPRESS,
                        Map.of("router", router, "limit", limit, "lease_seconds", lease.toSeconds(), "waiting", none),
                        (rs, i) -> new RunToCompress(rs.getLong("id"), rs.getString("name"), rs.getString("cluster"))));
    }

    void compressed(long id, String file, long bytes, String sha256, String filesJson) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("router", router);
        p.put("file", file);
        p.put("bytes", bytes);
        p.put("sha256", sha256);
        p.put("files", filesJson);
        transactions.as(router, jdbc -> jdbc.update(COMPRESSED, p));
    }

    /** @param now released to be claimed again at once (its cluster waits for a login), not after the lease */
    void compressFailed(long id, String error, boolean permanent, boolean now) {
        transactions.as(
                router,
                jdbc -> jdbc.update(
                        COMPRESS_FAILED,
                        Map.of("id", id, "router", router, "error", error, "permanent", permanent, "now", now)));
    }

    Waiting waiting() {
        return transactions
                .jdbc()
                .queryForObject(
                        WAITING,
                        Map.of(),
                        (rs, i) ->
                                new Waiting(rs.getLong("runs"), rs.getLong("bytes"), rs.getDouble("oldest_seconds")));
    }

    /** Creates a bundle of the oldest waiting runs; returns its id and members (none when another router took them). */
    Map.Entry<Long, List<Member>> createBundle(String bucket, String keyPrefix, int limit) {
        return transactions.as(router, jdbc -> {
            List<Member> members = new ArrayList<>(jdbc.query(
                    CLAIM_MEMBERS,
                    Map.of("limit", limit),
                    (rs, i) -> new Member(
                            rs.getLong("id"),
                            rs.getString("name"),
                            rs.getString("cluster"),
                            rs.getString("archive_file"),
                            rs.getLong("archive_bytes"),
                            rs.getString("archive_sha256"),
                            rs.getString("files"))));
            if (members.isEmpty()) {
                return Map.entry(0L, members);
            }
            long id = jdbc.queryForObject("SELECT nextval('archive_bundles_id_seq')", Map.of(), Long.class);
            jdbc.update(
                    INSERT_BUNDLE,
                    Map.of("id", id, "bucket", bucket, "key", keyPrefix + "bundle-" + id + ".tar", "router", router));
            for (Member m : members) {
                jdbc.update(
                        INSERT_MEMBER,
                        Map.of("bundle_id", id, "run_id", m.id(), "bytes", m.bytes(), "sha256", m.sha256()));
            }
            return Map.entry(id, members);
        });
    }

    boolean built(long id, long bytes, String sha256, String manifest) {
        return transactions.as(
                        router,
                        jdbc -> jdbc.update(
                                BUNDLE_BUILT,
                                Map.of(
                                        "id",
                                        id,
                                        "router",
                                        router,
                                        "bytes",
                                        bytes,
                                        "sha256",
                                        sha256,
                                        "manifest",
                                        manifest)))
                == 1;
    }

    void failed(long id, String error) {
        transactions.as(router, jdbc -> jdbc.update(BUNDLE_FAILED, Map.of("id", id, "error", error)));
    }

    /** @return the archived runs: (name, cluster, archive file) */
    List<String[]> verified(long id) {
        return transactions.as(
                router,
                jdbc -> jdbc.query(BUNDLE_VERIFIED, Map.of("id", id), (rs, i) ->
                        new String[] {rs.getString("name"), rs.getString("cluster"), rs.getString("archive_file")}));
    }

    int failStale(Duration lease) {
        return transactions.as(router, jdbc -> jdbc.update(STALE_BUNDLES, Map.of("lease_seconds", lease.toSeconds())));
    }

    Archived archived(String run) {
        List<Archived> found = transactions
                .jdbc()
                .query(
                        FIND_ARCHIVED,
                        Map.of("name", run),
                        (rs, i) -> new Archived(
                                rs.getString("bucket"),
                                rs.getString("key"),
                                rs.getString("checksum"),
                                rs.getLong("size_bytes"),
                                rs.getString("archive_sha256"),
                                rs.getString("archive_file")));
        return found.isEmpty() ? null : found.get(0);
    }

    private static String sql(String name) {
        return SqlFile.load(ArchiveStore.class, name);
    }
}
