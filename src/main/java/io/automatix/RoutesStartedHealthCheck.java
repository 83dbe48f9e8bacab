package io.automatix;

import java.util.Map;

import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Not ready until every route has started: the supervising route controller starts routes after
 * the context (so a broker that is down does not stop the router), and the HTTP server answers
 * before then.
 */
final class RoutesStartedHealthCheck extends AbstractHealthCheck {

    RoutesStartedHealthCheck() {
        super("automatix", "routes-started");
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        var context = getCamelContext();
        if (context.getStatus() == ServiceStatus.Started
                && !context.getRouteController().isStartingRoutes()) {
            builder.up();
        } else {
            builder.down().message("routes are starting");
        }
    }
}
