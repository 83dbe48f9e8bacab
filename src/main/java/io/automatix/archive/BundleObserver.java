package io.automatix.archive;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Told of each bundle once its tar is built and its checksum taken, before it is uploaded. The
 * router binds none ({@link #NONE}); tests bind one in the registry that damages the file, as
 * storage or transit might, to show that verification catches it.
 */
@FunctionalInterface
public interface BundleObserver {

    BundleObserver NONE = (id, tar) -> {};

    void built(long id, Path tar) throws IOException;
}
