package io.tapio.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The alert rules pass promtool's check and their unit tests; every alert has a test, names
 * only Tapio's metrics, and cannot fire on a fresh Prometheus' under-reported rates.
 */
class AlertRulesTest {
    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Promtool.Result result =
                Promtool.run("check", "rules", Monitoring.alertRules().toString());
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    @Test
    void theRulesUnitTestsPass() throws Exception {
        Promtool.Result result =
                Promtool.run("test", "rules", Monitoring.alertTests().toString());
        assertEquals(0, result.exit(), result.output());
    }

    @Test
    void theAlertsTheIssueAsksForAreThereAndEachHasAUnitTest() {
        Set<String> alerts = new TreeSet<>();
        Monitoring.alerts().forEach(rule -> alerts.add(rule.path("alert").asText()));
        assertTrue(
                alerts.containsAll(Set.of(
                        "TapioHighProcessingLatency",
                        "TapioLowThroughput",
                        "TapioEventsDropped",
                        "TapioCriticalFinding",
                        "TapioPerformanceRegression")),
                alerts.toString());
        Set<String> tested = new TreeSet<>();
        for (JsonNode test :
                Monitoring.read(Monitoring.YAML, Monitoring.alertTests()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (!check.path("exp_alerts").isEmpty()) {
                    tested.add(check.path("alertname").asText());
                }
            }
        }
        assertEquals(alerts, tested, "every alert has a unit test in which it fires");
    }

    @Test
    void noAlertCanFireOnAFreshPrometheus() {
        for (JsonNode rule : Monitoring.alerts()) {
            String expr = rule.path("expr").asText();
            Duration holds = rule.has("for")
                    ? Duration.parse("PT" + rule.path("for").asText().toUpperCase())
                    : Duration.ZERO;
            boolean guarded = expr.contains("(up offset 5m) == 1");
            assertTrue(
                    holds.compareTo(Duration.ofMinutes(5)) >= 0 || guarded,
                    rule.path("alert").asText() + " holds 5 minutes or is guarded by the target's uptime");
        }
    }

    @Test
    void everyAlertNamesOnlyTapiosMetricsAndSaysWhatIsWrong() {
        for (JsonNode rule : Monitoring.alerts()) {
            String name = rule.path("alert").asText();
            Set<String> metrics = Monitoring.metricNames(rule.path("expr").asText());
            assertFalse(metrics.isEmpty(), name);
            assertTrue(Monitoring.METRICS.containsAll(metrics), name + " uses " + metrics);
            assertTrue(
                    List.of("warning", "critical")
                            .contains(rule.at("/labels/severity").asText()),
                    name);
            assertFalse(rule.at("/annotations/summary").asText().isBlank(), name);
            assertFalse(rule.at("/annotations/description").asText().isBlank(), name);
        }
    }
}
