package io.automatix.archive;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test wiring: flips a byte in the middle of the first bundle after its checksum was taken, as
 * storage or transit might. Bound in the router under test by
 * {@code camel.beans.corruptingBundles = #class:io.automatix.archive.CorruptingBundles}.
 */
public final class CorruptingBundles implements BundleObserver {

    private static final Logger LOG = LoggerFactory.getLogger(CorruptingBundles.class);

    private final AtomicBoolean done = new AtomicBoolean();

    @Override
    public void built(long id, Path tar) throws IOException {
        if (done.getAndSet(true)) {
            return;
        }
        LOG.error("Fault injection: flipping a byte of bundle {} after its checksum was taken", id);
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            long middle = f.length() / 2;
            f.seek(middle);
            int b = f.read();
            f.seek(middle);
            f.write(b ^ 0xff);
        }
    }
}
