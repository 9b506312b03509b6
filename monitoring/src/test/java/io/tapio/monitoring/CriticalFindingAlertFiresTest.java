package io.tapio.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first critical finding of a run fires TapioCriticalFinding in a real Prometheus: it
 * scrapes {@code tapio run} from before its start, so it sees {@code tapio_findings_total} at 0
 * and then the increment, as it sees a TaskManager that starts (the synthetic source's OOM-kill
 * loop gives an {@code oom_crash_loop} at its third kill, about 42 s in).
 *
 * <p>The rules are the real file with one mechanical change, so that the test does not wait
 * five minutes: the uptime guards ({@code offset 5m}) and {@code for:} durations are read in
 * seconds instead of minutes. The rate and increase windows stay as they are, and Prometheus
 * evaluates every second.
 */
class CriticalFindingAlertFiresTest {
    private static final Pattern MINUTES = Pattern.compile("(offset |for: )(\\d+)m\\b");
    private static final long FIRING_WITHIN_SECONDS = 150;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theFirstCriticalFindingOfARunFiresTheAlert() throws Exception {
        Path rules = secondsForMinutes(Monitoring.alertRules(), dir.resolve("tapio-alerts-in-seconds.yml"));
        int metricsPort = PrometheusServer.freePort();
        try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), metricsPort, rules)) {
            TapioRun run = TapioRun.start(
                    "--source",
                    "synthetic",
                    "--inject",
                    "oom-loop",
                    "--no-history",
                    "--duration",
                    "4m",
                    "--data-dir",
                    dir.resolve("tapio").toString(),
                    "--metrics-port",
                    "" + metricsPort,
                    "--ui-port",
                    "0",
                    "--status-port",
                    "0");
            try {
                JsonNode alert = awaitFiring(prometheus, "TapioCriticalFinding", run);
                assertEquals("oom_crash_loop", alert.at("/labels/pattern").asText(), alert.toString());
                assertEquals("critical", alert.at("/labels/severity").asText(), alert.toString());
                JsonNode before = prometheus.query(
                        "min_over_time(tapio_findings_total{pattern=\"oom_crash_loop\",severity=\"critical\"}[5m])");
                assertEquals(
                        "0",
                        before.get(0).at("/value/1").asText(),
                        "Prometheus saw the counter at 0 before the finding: " + before);
            } finally {
                run.close();
            }
            assertEquals(0, run.exitStatus(), "tapio run stops cleanly: " + run.output());
        }
    }

    /** The rule file with every uptime guard and {@code for:} in seconds where it says minutes. */
    private static Path secondsForMinutes(Path rules, Path copy) throws Exception {
        String real = Files.readString(rules);
        String quick = MINUTES.matcher(real).replaceAll("$1$2s");
        assertTrue(quick.contains("(up offset 5s) == 1"), "the guard this test shortens is in the rules: " + real);
        assertNotEquals(real, quick);
        return Files.writeString(copy, quick);
    }

    private static JsonNode awaitFiring(PrometheusServer prometheus, String name, TapioRun run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIRING_WITHIN_SECONDS);
        List<JsonNode> alerts = List.of();
        while (System.nanoTime() < deadline) {
            run.requireRunning();
            alerts = prometheus.alerts();
            for (JsonNode alert : alerts) {
                if (alert.at("/labels/alertname").asText().equals(name)
                        && alert.path("state").asText().equals("firing")) {
                    return alert;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError(name + " never fired; alerts: " + alerts + "\nfindings: "
                + prometheus.query("tapio_findings_total{severity=\"critical\"}") + "\nprometheus: "
                + prometheus.log() + "\ntapio: " + run.output());
    }
}
