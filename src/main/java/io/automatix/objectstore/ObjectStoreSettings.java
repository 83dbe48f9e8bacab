package io.automatix.objectstore;

import io.automatix.config.Settings;

/** Where the object store is; a blank endpoint means the embedded one. Keys are never logged. */
public record ObjectStoreSettings(
        String endpoint, String region, String accessKey, String secretKey, String bucket, boolean pathStyle) {

    public static ObjectStoreSettings from(Settings settings) {
        return new ObjectStoreSettings(
                settings.optional("automatix.s3.endpoint").orElse(null),
                settings.get("automatix.s3.region"),
                settings.optional("automatix.s3.access-key").orElse(null),
                settings.optional("automatix.s3.secret-key").orElse(null),
                settings.get("automatix.s3.bucket"),
                settings.getBoolean("automatix.s3.path-style"));
    }

    public boolean external() {
        return endpoint != null && !endpoint.isBlank();
    }

    public ObjectStoreSettings withEndpoint(String newEndpoint) {
        return new ObjectStoreSettings(newEndpoint, region, accessKey, secretKey, bucket, pathStyle);
    }

    @Override
    public String toString() {
        return "ObjectStoreSettings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + "]";
    }
}
