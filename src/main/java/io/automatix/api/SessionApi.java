package io.automatix.api;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automatix.workflow.SessionConflict;
import io.automatix.workflow.SessionNotFound;
import io.automatix.workflow.Sessions;
import io.automatix.workflow.WdfError;
import org.apache.camel.Exchange;

/**
 * The workflow sessions under {@code /api/sessions}: each request is authenticated by its token,
 * acts as that user, and answers JSON: 401 without a valid token, 400 for bad input (a WDF's
 * errors listed with file, line and field), 404 for a session the user may not use, 409 for a
 * request the session's state refuses.
 */
public final class SessionApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionApi.class);

    private final ApiUsers users;
    private final Sessions sessions;

    public SessionApi(ApiUsers users, Sessions sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    /** @param action start|list|status|access|run|cancel|stop|share */
    public void handle(Exchange exchange, String action) throws JsonProcessingException {
        var in = exchange.getMessage();
        Object answer;
        int code = 200;
        try {
            String user = users.authenticate(in.getHeader("Authorization", String.class))
                    .orElseThrow(() -> new Unauthorized());
            Map<String, Object> request = body(in.getBody(String.class));
            for (String param : new String[] {"session", "step", "owner"}) {
                String value = in.getHeader(param, String.class);
                if (value != null) {
                    request.put(param, value);
                }
            }
            String token = in.getHeader("X-Automatix-Share-Token", String.class);
            if (token != null) {
                request.put("share_token", token);
            }
            if (action.equals("sessions")) {
                action = "GET".equals(in.getHeader(Exchange.HTTP_METHOD, String.class)) ? "list" : "start";
            }
            answer = switch (action) {
                case "start" -> sessions.start(user, request);
                case "list" -> sessions.list(user);
                case "status" -> sessions.status(user, request);
                case "access" -> sessions.access(user, request);
                case "run" -> sessions.run(user, request);
                case "cancel" -> sessions.cancel(user, request);
                case "stop" -> sessions.stop(user, request);
                case "share" -> sessions.share(user, request);
                default -> throw new IllegalArgumentException("unknown action " + action);
            };
            code = switch (action) {
                case "start" -> 201;
                case "run", "cancel", "stop" -> 202;
                default -> 200;
            };
        } catch (Unauthorized e) {
            code = 401;
            answer = Map.of("error", "a valid token is required (Authorization: Bearer <token>)");
        } catch (WdfError e) {
            code = 400;
            answer = Map.of("error", "the workflow description is not valid", "errors", e.errors());
        } catch (IllegalArgumentException e) {
            code = 400;
            answer = Map.of("error", e.getMessage());
        } catch (SessionNotFound e) {
            code = 404;
            answer = Map.of("error", e.getMessage());
        } catch (SessionConflict e) {
            code = 409;
            answer = Map.of("error", e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} failed", action, e);
            code = 500;
            answer = Map.of("error", String.valueOf(e.getMessage()));
        }
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(JSON.writeValueAsString(answer));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(String text) {
        if (text == null || text.isBlank()) {
            return new HashMap<>();
        }
        try {
            Object value = JSON.readValue(text, Object.class);
            if (!(value instanceof Map)) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return new HashMap<>((Map<String, Object>) value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static final class Unauthorized extends RuntimeException {
    }
}
