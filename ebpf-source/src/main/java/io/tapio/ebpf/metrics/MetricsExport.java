package io.tapio.ebpf.metrics;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each TaskManager of a cluster serves Tapio's metrics: every JVM running the job's
 * tasks starts one endpoint (the first task to open does), for Prometheus to scrape per pod.
 * TaskManagers sharing a host take the first free port of the range. Not being able to serve
 * metrics does not stop the job: it is logged, and the job's own Flink metrics remain.
 *
 * @param bind the address to listen on; 127.0.0.1 unless the deployment asks for more
 * @param ports one port ({@code 9464}) or a range ({@code 9464-9474})
 */
public record MetricsExport(String bind, String ports) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(MetricsExport.class);

    private static MetricsEndpoint endpoint;

    public MetricsExport {
        range(ports); // fails early on a malformed range
    }

    /** Starts this JVM's endpoint, unless one already serves. */
    public void ensureServing() {
        synchronized (MetricsExport.class) {
            if (endpoint != null) {
                return;
            }
            int[] range = range(ports);
            for (int port = range[0]; port <= range[1] && endpoint == null; port++) {
                try {
                    endpoint = MetricsEndpoint.start(InetAddress.getByName(bind), port);
                    LOG.info("serving Tapio's metrics on {}:{}", bind, port);
                } catch (IOException taken) {
                    LOG.debug("metrics port {} is taken", port, taken);
                }
            }
            if (endpoint == null) {
                LOG.warn(
                        "cannot serve Tapio's metrics on {}:{}: every port is taken; Flink's metrics still report",
                        bind,
                        ports);
            }
        }
    }

    private static int[] range(String ports) {
        String[] bounds = ports.trim().split("-", 2);
        try {
            int low = Integer.parseInt(bounds[0].trim());
            int high = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : low;
            if (low < 1 || high > 65_535 || low > high) {
                throw new NumberFormatException();
            }
            return new int[] {low, high};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + ports + "' is not a port or a port range such as 9464-9474");
        }
    }
}
