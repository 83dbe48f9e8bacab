package io.automatix.workflow;

import java.net.URI;

/**
 * A storage tier data movers write to (site configuration, {@code automatix.workflow.tiers.<name>}):
 * a directory on the session's cluster, or an S3 bucket and key prefix ({@code s3://bucket/prefix/}).
 */
public record Tier(String name, String directory, String bucket, String prefix) {

    public static Tier parse(String name, String value) {
        String v = value.strip();
        if (v.startsWith("s3://")) {
            URI uri = URI.create(v);
            String prefix = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix += "/";
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "bad setting 'automatix.workflow.tiers." + name + "': no bucket in " + v);
            }
            return new Tier(name, null, uri.getHost(), prefix);
        }
        if (!v.startsWith("/")) {
            throw new IllegalArgumentException("bad setting 'automatix.workflow.tiers." + name + "': '" + v
                    + "' is neither an absolute directory nor s3://bucket/prefix");
        }
        return new Tier(name, v, null, null);
    }

    public boolean objectStore() {
        return bucket != null;
    }

    @Override
    public String toString() {
        return objectStore() ? "s3://" + bucket + "/" + prefix : directory;
    }
}
