package io.automatix.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.oidc.OidcAdmission;
import io.automatix.user.Principal;
import io.automatix.user.Role;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The HTTP side of every API route (routes/api.camel.yaml, routeConfiguration {@code api}): a
 * request is admitted only with a valid token in its Authorization header and a role that covers
 * the one its route declares ({@link RouteRoles}: the one place roles are checked), and every
 * answer is JSON with no header of the request echoed back.
 */
public final class ApiHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Path and query parameters a request may carry (platform-http gives them as headers). */
    private static final String[] PARAMETERS = {
        "session", "step", "owner", "name", "status", "state", "run", "limit", "id"
    };
    /** The route whose body is a run offer, read as sent by its own strict parser. */
    private static final String RAW_BODY_ROUTE = "api-runs";

    private final ApiUsers users;
    private final OidcAdmission oidc;

    public ApiHttp(ApiUsers users, OidcAdmission oidc) {
        this.users = users;
        this.oidc = oidc;
    }

    /** Authenticates the request and makes it the body as an {@link ApiRequest}. */
    public void admit(Exchange exchange) {
        Message in = exchange.getMessage();
        in.removeHeader(Exchange.HTTP_RESPONSE_CODE); // only an answer sets it
        // credentials come in request headers only: platform-http also gives query parameters as
        // headers, and a token in a URL ends up in logs, histories and Referer headers
        Set<String> query = queryNames(in.getHeader(Exchange.HTTP_QUERY, String.class));
        if (query.contains("authorization")) {
            throw new Unauthenticated();
        }
        // an OIDC bearer JWT or web sign-in cookie (io.automatix.oidc); anything else is a router token
        Principal user = oidc.principal(in)
                .orElseGet(() -> users.authenticate(in.getHeader("Authorization", String.class))
                        .orElseThrow(Unauthenticated::new));
        String route = exchange.getFromRouteId();
        Role needed = RouteRoles.needed(exchange.getContext().getRoute(route)).orElseThrow(() -> new Forbidden(route));
        if (!user.role().covers(needed)) {
            throw new Forbidden(user, needed, route);
        }
        byte[] body = in.getBody(byte[].class);
        String type = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (body != null && body.length > 0 && (type == null || !type.startsWith("application/json"))) {
            throw new NotJson();
        }
        Map<String, String> parameters = new HashMap<>();
        for (String name : PARAMETERS) {
            String value = in.getHeader(name, String.class);
            if (value != null) {
                parameters.put(name, value);
            }
        }
        String shareToken = query.contains("x-automatix-share-token")
                ? null
                : in.getHeader("X-Automatix-Share-Token", String.class);
        ApiRequest request = new ApiRequest(user, parameters, shareToken, body);
        if (!RAW_BODY_ROUTE.equals(exchange.getFromRouteId())) {
            request.fields(); // a body that is not a JSON object is refused whether the action reads it or not
        }
        in.setBody(request);
    }

    /**
     * Writes the answer: the body as JSON, with the status of a {@link Reply}, the one an error
     * mapping set, or 200.
     */
    public void answer(Exchange exchange) throws JsonProcessingException {
        Message out = exchange.getMessage();
        Object body = out.getBody();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (body instanceof Reply reply) {
            status = reply.status();
            body = reply.body();
        }
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status == null ? 200 : status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(JSON.writeValueAsString(body));
    }

    /** The names of a raw query string's parameters, decoded and in lower case. */
    private static Set<String> queryNames(String query) {
        Set<String> names = new HashSet<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                String name = pair.split("=", 2)[0];
                try {
                    name = URLDecoder.decode(name, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    // a malformed escape: keep the name as sent
                }
                names.add(name.strip().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
