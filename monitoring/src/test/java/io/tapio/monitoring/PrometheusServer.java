package io.tapio.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's package) on 127.0.0.1 and a free port, with its data in a
 * directory of the test's: it scrapes one target every second and evaluates the given rule
 * file every second.
 */
final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Path dir, int scrapePort, Path rules) throws IOException {
        Promtool.requireInstalled(Promtool.PROMETHEUS);
        int port = freePort();
        base = "http://127.0.0.1:" + port;
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: tapio
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(rules.toAbsolutePath(), scrapePort));
        log = dir.resolve("prometheus.log");
        process = new ProcessBuilder(
                        Promtool.PROMETHEUS.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    static PrometheusServer start(Path dir, int scrapePort, Path rules) throws Exception {
        PrometheusServer server = new PrometheusServer(dir, scrapePort, rules);
        try {
            server.awaitReady();
            return server;
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    /** An instant query through the HTTP API: its result, or an AssertionError with Prometheus' own error. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!body.path("status").asText().equals("success")) {
            throw new AssertionError(
                    "Prometheus rejected " + promql + ": " + body.path("error").asText());
        }
        return body.path("data").path("result");
    }

    /** The loaded rules, each with its health and last evaluation error. */
    List<JsonNode> rules() throws IOException, InterruptedException {
        List<JsonNode> rules = new java.util.ArrayList<>();
        for (JsonNode group : get("/api/v1/rules").path("data").path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        return rules;
    }

    /** The active alerts (pending or firing), each with its labels and state. */
    List<JsonNode> alerts() throws IOException, InterruptedException {
        List<JsonNode> alerts = new java.util.ArrayList<>();
        get("/api/v1/alerts").path("data").path("alerts").forEach(alerts::add);
        return alerts;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + log());
            }
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready in 60 s: " + log());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Monitoring.JSON.readTree(response.body());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
