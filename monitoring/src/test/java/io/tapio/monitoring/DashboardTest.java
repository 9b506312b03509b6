package io.tapio.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard has the panels the issue asks for, each on Tapio's metrics. */
class DashboardTest {
    private final JsonNode dashboard = Monitoring.read(Monitoring.JSON, Monitoring.dashboard());

    @Test
    void theDashboardShowsRatesLatencyDropsRingFillAndFindings() {
        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        assertTrue(
                titles.containsAll(List.of(
                        "Event rate by node and type",
                        "p99 latency by stage",
                        "Dropped events by node and reason",
                        "Ring buffer fill by node",
                        "Findings by pattern and severity")),
                titles.toString());
        assertEquals(
                "DS_PROMETHEUS",
                dashboard.at("/__inputs/0/name").asText(),
                "imports with the Prometheus data source the user picks");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                assertEquals(
                        "${DS_PROMETHEUS}",
                        target.at("/datasource/uid").asText(),
                        panel.path("title").asText());
            }
        }
    }

    @Test
    void everyQueryNamesOnlyTapiosMetrics() {
        List<String> queries = Monitoring.dashboardQueries();
        assertFalse(queries.isEmpty());
        for (String query : queries) {
            assertFalse(Monitoring.metricNames(query).isEmpty(), query);
            assertTrue(Monitoring.METRICS.containsAll(Monitoring.metricNames(query)), query);
        }
    }

    @Test
    void panelsHaveUniqueIdsAndNoOverlap() {
        List<Integer> ids = new ArrayList<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            ids.add(panel.path("id").asInt());
            JsonNode g = panel.path("gridPos");
            int[] box = {
                g.path("x").asInt(),
                g.path("y").asInt(),
                g.path("w").asInt(),
                g.path("h").asInt()
            };
            for (int[] other : boxes) {
                boolean overlap = box[0] < other[0] + other[2]
                        && other[0] < box[0] + box[2]
                        && box[1] < other[1] + other[3]
                        && other[1] < box[1] + box[3];
                assertFalse(overlap, panel.path("title").asText() + " overlaps another panel");
            }
            boxes.add(box);
        }
        assertEquals(ids.size(), ids.stream().distinct().count(), "unique panel ids");
    }
}
