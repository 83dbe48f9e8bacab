package io.automatix.transfer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;

/** The transfer flow's guarded transitions of runs, each one statement, each recorded by this router. */
final class TransferStore {

    private static final String CLAIM = SqlFile.load(TransferStore.class, "claim-transfers.sql");
    private static final String DUE = SqlFile.load(TransferStore.class, "due-transfers.sql");
    private static final String START = SqlFile.load(TransferStore.class, "start-transfer.sql");
    private static final String FINISH = SqlFile.load(TransferStore.class, "finish-transfer.sql");
    private static final String RETRY = SqlFile.load(TransferStore.class, "retry-transfer.sql");
    private static final String FAIL = SqlFile.load(TransferStore.class, "fail-transfer.sql");
    private static final String RENEW = SqlFile.load(TransferStore.class, "renew-leases.sql");

    private final Transactions transactions;
    private final String router;
    private final Duration lease;

    TransferStore(Transactions transactions, String router, Duration lease) {
        this.transactions = transactions;
        this.router = router;
        this.lease = lease;
    }

    List<TransferRun> claim(int limit) {
        return transactions.as(
                router,
                jdbc -> jdbc.query(
                        CLAIM,
                        Map.of("router", router, "lease_seconds", lease.toSeconds(), "limit", limit),
                        (rs, i) -> run(rs)));
    }

    List<TransferRun> due(int limit) {
        return transactions.jdbc().query(DUE, Map.of("limit", limit), (rs, i) -> run(rs));
    }

    /** @return false when the run is no longer ours (another router took it over) */
    boolean start(TransferRun run) {
        return !transactions
                .as(router, jdbc -> jdbc.queryForList(START, ids(run), Integer.class))
                .isEmpty();
    }

    boolean finish(TransferRun run, String location) {
        Map<String, Object> p = ids(run);
        p.put("location", location);
        return update(FINISH, p);
    }

    boolean retry(TransferRun run, int attempts, String error, String note, Duration delay) {
        Map<String, Object> p = ids(run);
        p.put("attempts", attempts);
        p.put("error", error);
        p.put("note", note);
        p.put("delay_seconds", delay.toSeconds());
        return update(RETRY, p);
    }

    boolean fail(TransferRun run, int attempts, String error) {
        Map<String, Object> p = ids(run);
        p.put("attempts", attempts);
        p.put("error", error);
        return update(FAIL, p);
    }

    void renew(List<Long> runIds) {
        if (!runIds.isEmpty()) {
            transactions.jdbc().update(RENEW, Map.of("router", router, "ids", runIds));
        }
    }

    private boolean update(String sql, Map<String, Object> params) {
        return transactions.as(router, jdbc -> jdbc.update(sql, params)) == 1;
    }

    private Map<String, Object> ids(TransferRun run) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", run.id());
        p.put("router", router);
        return p;
    }

    private static TransferRun run(ResultSet rs) throws SQLException {
        return new TransferRun(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("source_host"),
                rs.getString("source_path"),
                rs.getString("cluster"),
                rs.getInt("attempts"));
    }
}
