package io.tapio.ebpf.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Serves every meter in Micrometer's global registry (where the sources and stages of this
 * JVM register theirs) in Prometheus' text format at {@code http://127.0.0.1:PORT/metrics}.
 * It listens on loopback unless the user chooses another address.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;

    private MetricsEndpoint(InetAddress bind, int port) throws IOException {
        Metrics.addRegistry(registry);
        server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Starts serving on loopback; port 0 picks a free one. */
    public static MetricsEndpoint start(int port) throws IOException {
        return new MetricsEndpoint(InetAddress.getLoopbackAddress(), port);
    }

    /** Starts serving on {@code bind}: beyond loopback only when the user asks for it. */
    public static MetricsEndpoint start(InetAddress bind, int port) throws IOException {
        return new MetricsEndpoint(bind, port);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.stop(0);
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
