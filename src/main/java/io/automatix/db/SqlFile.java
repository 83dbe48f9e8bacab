package io.automatix.db;

import io.automatix.ResourceText;

/** SQL lives in .sql files beside the class that runs it; this reads one. */
public final class SqlFile {

    private SqlFile() {}

    public static String load(Class<?> owner, String name) {
        return ResourceText.load(owner, name, "SQL");
    }
}
