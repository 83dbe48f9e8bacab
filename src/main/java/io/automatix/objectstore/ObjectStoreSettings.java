package io.automatix.objectstore;

/** Where the object store is; a blank endpoint means the embedded one. Keys are never logged. */
public record ObjectStoreSettings(
        String endpoint, String region, String accessKey, String secretKey, String bucket, boolean pathStyle) {

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
