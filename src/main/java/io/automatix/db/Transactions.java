package io.automatix.db;

import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs work in one database transaction on behalf of an actor. The actor is what the audit
 * trigger writes into every event the transaction causes.
 */
public final class Transactions {

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public Transactions(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public <T> T as(String actor, Function<NamedParameterJdbcTemplate, T> work) {
        return tx.execute(status -> {
            jdbc.queryForObject(
                    "SELECT set_config('automatix.actor', :actor, true)", Map.of("actor", actor), String.class);
            return work.apply(jdbc);
        });
    }

    /** For reads and single statements that change no state. */
    public NamedParameterJdbcTemplate jdbc() {
        return jdbc;
    }
}
