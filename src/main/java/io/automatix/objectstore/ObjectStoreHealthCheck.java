package io.automatix.objectstore;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.services.s3.S3Client;

/** Ready while the archive bucket is reachable. */
public final class ObjectStoreHealthCheck extends AbstractHealthCheck {

    private final S3Client s3;
    private final String bucket;

    public ObjectStoreHealthCheck(S3Client s3, String bucket) {
        super("automatix", "object-store");
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            builder.up().detail("bucket", bucket);
        } catch (Exception e) {
            builder.down().detail("bucket", bucket).message(e.getMessage()).error(e);
        }
    }
}
