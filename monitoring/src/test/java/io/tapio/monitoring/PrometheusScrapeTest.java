package io.tapio.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes {@code tapio run} (the eBPF source, so the ring buffer and kernel
 * counters are real): Tapio's metrics come back through Prometheus' query API with their
 * labels, every dashboard query and alert expression runs on them, and the alert rules load
 * and evaluate without error. Needs root, like every test that loads the BPF programs.
 */
class PrometheusScrapeTest {
    private static final long WAIT_SECONDS = 90;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void prometheusScrapesARunningTapioAndTheRulesAndDashboardRunOnWhatItGets() throws Exception {
        int metricsPort = PrometheusServer.freePort();
        int uiPort = PrometheusServer.freePort();
        int statusPort = PrometheusServer.freePort();
        TapioRun run = TapioRun.start(
                "--source",
                "ebpf",
                "--duration",
                "4m",
                "--data-dir",
                dir.resolve("tapio").toString(),
                "--metrics-port",
                "" + metricsPort,
                "--ui-port",
                "" + uiPort,
                "--status-port",
                "" + statusPort);
        try (PrometheusServer prometheus =
                PrometheusServer.start(dir.resolve("prometheus"), metricsPort, Monitoring.alertRules())) {
            JsonNode processed = await(
                    prometheus,
                    "sum by (node, type) (tapio_events_processed_total)",
                    PrometheusScrapeTest::anyAboveZero,
                    run);
            for (JsonNode series : processed) {
                assertFalse(series.at("/metric/node").asText().isEmpty(), "events carry their node: " + series);
                assertFalse(series.at("/metric/type").asText().isEmpty(), "and their type: " + series);
            }
            assertEquals(
                    "1",
                    prometheus.query("up{job=\"tapio\"}").get(0).at("/value/1").asText(),
                    "the target is up");

            JsonNode latency = await(
                    prometheus,
                    Monitoring.dashboardQueries().get(1),
                    r -> measured(r).containsAll(Set.of("source", "end")),
                    run);
            for (JsonNode stage : latency) {
                String name = stage.at("/metric/stage").asText();
                double p99 = stage.at("/value/1").asDouble();
                // A stage that saw nothing in the rate window (findings are rare) has no quantile: NaN.
                boolean quiet = Double.isNaN(p99) && !Set.of("source", "end").contains(name);
                assertTrue(quiet || p99 > 0 && p99 < 30, "p99 from the kernel to " + name + ": " + p99 + " s");
            }
            JsonNode fill = prometheus.query("tapio_ringbuf_used_ratio");
            assertEquals(1, fill.size(), fill.toString());
            double ratio = fill.get(0).at("/value/1").asDouble();
            assertTrue(ratio >= 0 && ratio <= 1, "ring fill is a ratio: " + ratio);
            await(prometheus, Monitoring.dashboardQueries().getFirst(), PrometheusScrapeTest::anyAboveZero, run);

            for (String query : Monitoring.dashboardQueries()) {
                // Findings and regressions are counted from the first one on: a quiet run has none.
                // Every other panel has data once its counters have two scrapes in the rate window.
                boolean rare = query.contains("tapio_findings_total") || query.contains("tapio_regressions_total");
                await(prometheus, query, result -> rare || !result.isEmpty(), run);
            }
            for (JsonNode rule : Monitoring.alerts()) {
                prometheus.query(rule.path("expr").asText());
            }
            List<JsonNode> rules = awaitRulesEvaluated(prometheus);
            assertEquals(Monitoring.alerts().size(), rules.size());
            for (JsonNode rule : rules) {
                assertEquals("ok", rule.path("health").asText(), rule.path("name") + ": " + rule.path("lastError"));
            }
        } finally {
            run.close();
        }
        assertEquals(0, run.exitStatus(), "tapio run stops cleanly: " + run.output());
    }

    private static boolean anyAboveZero(JsonNode result) {
        for (JsonNode series : result) {
            if (series.at("/value/1").asDouble() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The stages with a quantile: one whose buckets did not move between the two scrapes in the
     * rate window has none yet (NaN).
     */
    private static Set<String> measured(JsonNode result) {
        Set<String> stages = new TreeSet<>();
        result.forEach(series -> {
            if (!Double.isNaN(series.at("/value/1").asDouble())) {
                stages.add(series.at("/metric/stage").asText());
            }
        });
        return stages;
    }

    /**
     * Queries until the result is as expected, starting and ending a process meanwhile so
     * that the kernel has events for Tapio to count.
     */
    private static JsonNode await(PrometheusServer prometheus, String query, Predicate<JsonNode> expected, TapioRun run)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            run.requireRunning();
            new ProcessBuilder("/bin/sh", "-c", "exit 3").start().waitFor();
            last = prometheus.query(query);
            if (expected.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(query + " never gave what was expected; last: " + last + "\nprometheus: "
                + prometheus.log() + "\ntapio: " + run.output());
    }

    private static List<JsonNode> awaitRulesEvaluated(PrometheusServer prometheus) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<JsonNode> rules = prometheus.rules();
            boolean evaluated = !rules.isEmpty()
                    && rules.stream()
                            .noneMatch(r -> r.path("lastEvaluation").asText().startsWith("0001-"));
            if (evaluated || System.nanoTime() > deadline) {
                return rules;
            }
            Thread.sleep(500);
        }
    }
}
