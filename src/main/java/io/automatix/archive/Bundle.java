package io.automatix.archive;

import java.io.File;

/** A bundle built on this host, ready to upload: the tar (with its manifest inside) and the manifest alone. */
public record Bundle(
        long id, String key, String manifestKey, File file, File manifestFile, long bytes, BundleDigest digest) {}
