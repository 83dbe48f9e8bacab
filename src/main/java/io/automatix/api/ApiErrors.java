package io.automatix.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.automatix.run.InvalidInputException;
import org.apache.camel.Exchange;

/** The JSON body of an API error: {"error": "...", "field": "..."} (field only when one is at fault). */
public final class ApiErrors {

    public Map<String, Object> body(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e == null ? "unknown error" : e.getMessage());
        if (e instanceof InvalidInputException invalid && invalid.field() != null) {
            body.put("field", invalid.field());
        }
        return body;
    }
}
