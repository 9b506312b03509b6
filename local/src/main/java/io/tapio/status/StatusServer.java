package io.tapio.status;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** {@code GET http://127.0.0.1:PORT/status}: the running instance's status as JSON. Loopback only. */
public final class StatusServer implements AutoCloseable {
    private final HttpServer server;

    private StatusServer(int port, Supplier<TapioStatus> status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        server.createContext("/status", exchange -> {
            byte[] body = StatusJson.write(status.get()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Starts serving; port 0 picks a free one. */
    public static StatusServer start(int port, Supplier<TapioStatus> status) throws IOException {
        return new StatusServer(port, status);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
