package io.tapio.metrics;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;

/**
 * Where each TaskManager of a cluster serves Tapio's metrics: every JVM running the job's
 * tasks starts one endpoint (the first task to open does), for Prometheus to scrape per pod.
 *
 * @param bind the address to listen on; 127.0.0.1 unless the deployment asks for more
 */
public record MetricsExport(String bind, int port) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static MetricsEndpoint endpoint;

    /** Starts this JVM's endpoint, unless one already serves. */
    public void ensureServing() {
        synchronized (MetricsExport.class) {
            if (endpoint == null) {
                try {
                    endpoint = MetricsEndpoint.start(InetAddress.getByName(bind), port);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot serve metrics on " + bind + ":" + port, e);
                }
            }
        }
    }
}
