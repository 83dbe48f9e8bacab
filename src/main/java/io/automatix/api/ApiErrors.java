package io.automatix.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.automatix.run.InvalidInputException;
import io.automatix.workflow.WdfError;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON body of an API error (routeConfiguration {@code api} picks the status):
 * {"error": "...", "field": "..."}, the field only when one is at fault, and a WDF's errors listed.
 */
public final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    /** What the caller did wrong, in the exception's words. */
    public Map<String, Object> body(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, Object> body = new LinkedHashMap<>();
        if (e instanceof WdfError wdf) {
            body.put("error", "the workflow description is not valid");
            body.put("errors", wdf.errors());
            return body;
        }
        body.put("error", e == null ? "unknown error" : e.getMessage());
        if (e instanceof InvalidInputException invalid && invalid.field() != null) {
            body.put("field", invalid.field());
        }
        return body;
    }

    /**
     * A failure of the router, not of the request: logged with its cause, answered without it (an
     * exception's text may name hosts, paths or settings).
     */
    public Map<String, Object> unexpected(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String route = exchange.getFromRouteId();
        LOG.warn("{} failed", route, e);
        return Map.of(
                "error",
                "the router could not do this: its log says why (\"" + route
                        + " failed\"); try again once that is fixed");
    }
}
