package io.tapio.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files in monitoring/: the alert rules, their unit tests, the dashboard, and the queries in them. */
final class Monitoring {
    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    /**
     * Tapio's metric names (DESIGN.md "Names", the eBPF reader's, and the correlator's and
     * regression detector's counts), as Prometheus sees them.
     */
    static final Set<String> METRICS = Set.of(
            "tapio_events_processed_total",
            "tapio_event_processing_duration_seconds_bucket",
            "tapio_events_dropped_total",
            "tapio_ringbuf_used_ratio",
            "tapio_ring_late_wakeups_total",
            "tapio_kernel_events_total",
            "tapio_findings_total",
            "tapio_regressions_total");

    private static final Pattern METRIC_NAME = Pattern.compile("\\btapio_[a-z_]+");

    private Monitoring() {}

    static Path dir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("monitoring/prometheus"))) {
                return dir.resolve("monitoring");
            }
        }
        throw new IllegalStateException(
                "monitoring/ not found above " + Path.of("").toAbsolutePath());
    }

    static Path alertRules() {
        return dir().resolve("prometheus/tapio-alerts.yml");
    }

    static Path alertTests() {
        return dir().resolve("prometheus/tapio-alerts.test.yml");
    }

    static Path dashboard() {
        return dir().resolve("grafana/tapio-dashboard.json");
    }

    /** The alerting rules, each as written in the rule file. */
    static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode group : read(YAML, alertRules()).path("groups")) {
            group.path("rules").forEach(alerts::add);
        }
        return alerts;
    }

    /** Every query of the dashboard, with Grafana's variables as Grafana would fill them in. */
    static List<String> dashboardQueries() {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : read(JSON, dashboard()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr")
                        .asText()
                        .replace("$__rate_interval", "30s")
                        .replace("$__range", "5m")
                        .replace("$node", ".*"));
            }
        }
        return queries;
    }

    static Set<String> metricNames(String query) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC_NAME.matcher(query);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
