package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tapio run} for a few seconds on the synthetic source, read from outside as a user
 * would: {@code tapio check --json}, the Prometheus endpoint and the web UI's REST API, all
 * real HTTP on loopback; then {@code tapio check} once it has stopped.
 */
class RunAndCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aRunningTapioIsSeenByCheckMetricsAndTheWebUiAndItsLastStateAfterItStops() throws Exception {
        int ui = freePort();
        int metrics = freePort();
        int status = freePort();
        CompletableFuture<Integer> run = new CompletableFuture<>();
        Thread.ofPlatform()
                .name("tapio-run")
                .start(() -> run.complete(Tapio.commandLine()
                        .execute(
                                "run",
                                "--source",
                                "synthetic",
                                "--synthetic-rate",
                                "20000",
                                "--duration",
                                "25s",
                                "--data-dir",
                                dataDir.toString(),
                                "--ui-port",
                                "" + ui,
                                "--metrics-port",
                                "" + metrics,
                                "--status-port",
                                "" + status)));

        JsonNode running = awaitRunningWithEvents();
        assertEquals(1, running.get("version").asInt());
        assertEquals("synthetic", running.get("source").asText());
        assertTrue(running.get("eventsPerSecond").get("byType").size() > 0, running.toString());
        assertTrue(running.get("eventsProcessed").asLong() > 0);

        String scrape = get("http://127.0.0.1:" + metrics + "/metrics");
        assertTrue(scrape.contains("tapio_events_processed_total{node="), scrape);
        assertTrue(scrape.contains("tapio_event_processing_duration_seconds_bucket{stage=\"end\""), scrape);
        // At zero before anything happened, so that an alert on increase() sees the first one.
        assertTrue(
                scrape.lines()
                        .anyMatch(l -> l.startsWith("tapio_findings_total{")
                                && l.contains("pattern=\"oom_crash_loop\"")
                                && l.contains("severity=\"critical\"")),
                scrape);
        assertTrue(scrape.lines().anyMatch(l -> l.startsWith("tapio_regressions_total{")), scrape);

        JsonNode jobs =
                JSON.readTree(get("http://127.0.0.1:" + ui + "/jobs/overview")).get("jobs");
        assertEquals("tapio", jobs.get(0).get("name").asText());
        assertEquals("RUNNING", jobs.get(0).get("state").asText());

        assertEquals(0, run.get(2, TimeUnit.MINUTES), "the run ends cleanly at the end of --duration");
        Check stopped = check();
        assertEquals(CheckCommand.UNHEALTHY, stopped.exit(), "not running any more");
        assertFalse(stopped.json().get("running").asBoolean());
        assertTrue(stopped.json().get("eventsProcessed").asLong()
                >= running.get("eventsProcessed").asLong());
        assertTrue(Files.exists(dataDir.resolve("status.json")));
    }

    @Test
    void checkCannotTellWhenNothingEverRanHere() {
        assertEquals(CheckCommand.CANNOT_TELL, check().exit());
    }

    private JsonNode awaitRunningWithEvents() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Check check = null;
        while (System.nanoTime() < deadline) {
            check = check();
            if (check.json() != null
                    && check.json().get("running").asBoolean()
                    && check.json().get("eventsPerSecond").get("total").asDouble() > 0) {
                JsonNode health = check.json().get("health");
                boolean alarming = false;
                for (JsonNode finding : check.json().get("findings")) {
                    alarming |= !finding.get("severity").asText().equals("info");
                }
                assertEquals(
                        health.get("problems").isEmpty() && !alarming,
                        health.get("healthy").asBoolean(),
                        "healthy: no problem and no finding of severity warning or above: " + check.json());
                assertEquals(
                        health.get("healthy").asBoolean() ? CheckCommand.HEALTHY : CheckCommand.UNHEALTHY,
                        check.exit(),
                        "the exit status follows the verdict: " + check.json());
                return check.json();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("tapio check never saw the run with events; it last said " + check);
    }

    private record Check(int exit, JsonNode json) {}

    private Check check() {
        StringWriter out = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        int exit = cli.execute("check", "--json", "--data-dir", dataDir.toString());
        try {
            return new Check(exit, out.toString().isBlank() ? null : JSON.readTree(out.toString()));
        } catch (IOException e) {
            throw new AssertionError("check --json printed no JSON: " + out, e);
        }
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
