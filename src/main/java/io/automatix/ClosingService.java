package io.automatix;

import org.apache.camel.support.service.ServiceSupport;

/** Lets the CamelContext close a resource when it stops, in reverse order of registration. */
final class ClosingService extends ServiceSupport {

    private final AutoCloseable resource;

    ClosingService(AutoCloseable resource) {
        this.resource = resource;
    }

    @Override
    protected void doStop() throws Exception {
        resource.close();
    }
}
