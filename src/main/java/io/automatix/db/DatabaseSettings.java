package io.automatix.db;

import io.automatix.config.Settings;

/** Where the runs database is; a blank url means the embedded PostgreSQL. */
public record DatabaseSettings(String url, String user, String password, int poolSize) {

    public static DatabaseSettings from(Settings settings) {
        return new DatabaseSettings(
                settings.optional("automatix.db.url").orElse(null),
                settings.get("automatix.db.user"),
                settings.optional("automatix.db.password").orElse(null),
                settings.getInt("automatix.db.pool-size"));
    }

    public boolean external() {
        return url != null && !url.isBlank();
    }

    public DatabaseSettings withUrl(String newUrl) {
        return new DatabaseSettings(newUrl, user, password, poolSize);
    }

    /** Never the password, wherever a record's default toString would print it (a log line, an error). */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + safeUrl() + ", user=" + user + ", password="
                + (password == null ? "none" : "***") + ", poolSize=" + poolSize + "]";
    }

    /** The url without credentials, for logs. */
    public String safeUrl() {
        return url == null ? "" : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
