package io.automatix.api;

import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.automatix.db.Rows;
import io.automatix.db.SqlFile;
import io.automatix.db.Transactions;
import org.springframework.jdbc.core.SqlParameterValue;

/** The API's read-only queries, each a .sql file beside this class, answered as readable rows. */
final class ApiQueries {

    private static final Map<String, String> SQL = new ConcurrentHashMap<>();

    private final Transactions transactions;

    ApiQueries(Transactions transactions) {
        this.transactions = transactions;
    }

    List<Map<String, Object>> rows(String file, Map<String, Object> params) {
        return Rows.readable(transactions
                .jdbc()
                .queryForList(SQL.computeIfAbsent(file, f -> SqlFile.load(ApiQueries.class, f)), params));
    }

    /** A text parameter that may be null (then the query does not filter on it). */
    static Object nullable(String value) {
        return value == null ? new SqlParameterValue(Types.VARCHAR, null) : value;
    }
}
