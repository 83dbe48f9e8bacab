package io.automatix.embedded;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.support.service.ServiceSupport;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** An S3-compatible store (S3Proxy) on the local file system, run by the router itself. */
public final class EmbeddedObjectStore extends ServiceSupport {

    private final Path baseDirectory;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;

    public EmbeddedObjectStore(Path baseDirectory, int port, String accessKey, String secretKey) {
        this.baseDirectory = baseDirectory.toAbsolutePath();
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(baseDirectory);
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(baseDirectory.toString()))
                .endpoint(URI.create(endpoint()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(20);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String describe() {
        return "embedded S3-compatible store (S3Proxy) at " + endpoint() + ", data in " + baseDirectory;
    }
}
