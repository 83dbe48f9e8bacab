package io.automatix.objectstore;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** The S3 client camel-aws2-s3 uses (autowired as the only S3Client in the registry). */
public final class ObjectStoreClient {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStoreClient.class);

    private ObjectStoreClient() {}

    public static S3Client create(ObjectStoreSettings settings) {
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.pathStyle())
                // Many S3-compatible stores reject the SDK's default CRC32 headers (aws-sdk-java-v2#5801);
                // Automatix verifies archives with its own checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.external()) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        return builder.build();
    }

    /** Keys from configuration, else the SDK's chain (environment, profile, instance role). */
    private static AwsCredentialsProvider credentials(ObjectStoreSettings settings) {
        if (settings.accessKey() != null && !settings.accessKey().isBlank()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** Creates the archive bucket if it is missing and we may; otherwise health reports it. */
    public static void ensureBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
                LOG.info("Created bucket {}", bucket);
            } catch (BucketAlreadyOwnedByYouException raced) {
                // another router created it first
            } catch (SdkException denied) {
                LOG.warn("Bucket {} is missing and cannot be created: {}", bucket, denied.getMessage());
            }
        } catch (SdkException unreachable) {
            LOG.warn("Object store not reachable yet ({}); health reports it", unreachable.getMessage());
        }
    }
}
