package io.tapio.job;

import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-bind}: where a node process's Prometheus endpoint listens. Loopback unless
 * the user asks for more (a pod's own address, {@code 0.0.0.0}, for Prometheus to scrape).
 */
public final class MetricsBindOption {
    @Option(
            names = "--metrics-bind",
            defaultValue = "127.0.0.1",
            paramLabel = "ADDRESS",
            description = "The address the metrics listen on; 0.0.0.0 for a pod's own address, for Prometheus "
                    + "to scrape (default: ${DEFAULT-VALUE}).")
    String bind;

    /** The address as given. */
    public String bind() {
        return bind;
    }

    /** @throws IllegalArgumentException when it is not an address this machine can resolve */
    public InetAddress address() {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--metrics-bind " + bind + " is not an address: " + e.getMessage());
        }
    }
}
