package io.automatix.api;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.user.Principal;

/**
 * One authenticated request to the API, as {@link ApiHttp#admit} made it the message body: its
 * user, its path and query parameters, its share token (from its header only) and its body.
 */
public final class ApiRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Principal principal;
    private final Map<String, String> parameters;
    private final String shareToken;
    private final byte[] body;
    private Map<String, Object> fields;

    ApiRequest(Principal principal, Map<String, String> parameters, String shareToken, byte[] body) {
        this.principal = principal;
        this.parameters = Map.copyOf(parameters);
        this.shareToken = shareToken;
        this.body = body == null ? new byte[0] : body;
    }

    /** The user the token authenticated: every action is done as them. */
    public String user() {
        return principal.name();
    }

    /** The user with its role and groups. */
    public Principal principal() {
        return principal;
    }

    /** A path or query parameter, or null. */
    public String parameter(String name) {
        return parameters.get(name);
    }

    /** The body as sent (a run offer is parsed by its own strict reader). */
    public byte[] body() {
        return body;
    }

    /**
     * The JSON object sent, with the path and query parameters over it and the share token from its
     * header: a share token in the body counts for nothing.
     *
     * @throws IllegalArgumentException when the body is not a JSON object
     */
    public Map<String, Object> fields() {
        if (fields == null) {
            Map<String, Object> map = parse(body);
            map.remove("share_token");
            map.putAll(parameters);
            if (shareToken != null) {
                map.put("share_token", shareToken);
            }
            fields = map;
        }
        return new HashMap<>(fields);
    }

    /** {@code ?limit=}: 100 unless asked, at least 1 and at most 10 000. */
    public int limit() {
        String limit = parameter("limit");
        if (limit == null) {
            return 100;
        }
        try {
            return Math.max(1, Math.min(10_000, Integer.parseInt(limit)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit: not a number");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(byte[] bytes) {
        if (bytes.length == 0) {
            return new HashMap<>();
        }
        try {
            Object value = JSON.readValue(bytes, Object.class);
            if (!(value instanceof Map)) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return new HashMap<>((Map<String, Object>) value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
    }
}
