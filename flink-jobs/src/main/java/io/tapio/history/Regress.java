package io.tapio.history;

import io.tapio.schemas.HistoryTables;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;

/**
 * The performance-regression job over the history ({@code tapio regress}): each workload's
 * rollups in the window against the same hours of earlier days, and each benchmark case's
 * latest run against the ones before it; what regressed is recorded in {@code regressions},
 * once: a workload's metric that regressed stays worse than its baseline in the windows after
 * until the baseline days have caught up with it, and a benchmark run stays the latest until
 * the next one.
 */
public final class Regress {
    private Regress() {}

    /**
     * What one judgement found.
     *
     * @param recorded the regressions newly written to {@code regressions} (the others were already)
     */
    public record Outcome(
            RollupRegressions.Found workloads, BenchRegressions.Found bench, List<RegressionRow> recorded) {
        /** Every regression found, workloads first. */
        public List<RegressionRow> regressions() {
            List<RegressionRow> all = new ArrayList<>(workloads.regressions());
            all.addAll(bench.regressions());
            return all;
        }
    }

    public static Outcome run(HistoryConfig config, RegressOptions options, Instant now) throws Exception {
        HistoryTables.ensureAll(config.catalogLoader().loadCatalog());
        try (HistorySql sql = new HistorySql(config)) {
            RollupRegressions.Found workloads = RollupRegressions.find(sql, options, now);
            BenchRegressions.Found bench = BenchRegressions.find(sql, options, now);
            List<RegressionRow> found = new ArrayList<>(workloads.regressions());
            found.addAll(bench.regressions());
            List<RegressionRow> fresh = notYetRecorded(sql, found, Duration.ofDays(options.baselineDays()));
            HistoryWrites.regressions(config, fresh);
            return new Outcome(workloads, bench, fresh);
        }
    }

    /**
     * Judging the same window again reports again, but records each regression once: a
     * benchmark run's once, a workload metric's once within the baseline's days (the windows
     * after one that regressed are the same regression, until the baseline holds the new level).
     */
    private static List<RegressionRow> notYetRecorded(HistorySql sql, List<RegressionRow> found, Duration baseline)
            throws Exception {
        if (found.isEmpty()) {
            return List.of();
        }
        Map<String, List<Instant>> recorded = new HashMap<>();
        for (Row r : sql.query("SELECT source, workload_key, metric, window_start FROM regressions WHERE source <> '"
                        + RegressionRow.STREAM + "'")
                .rows()) {
            recorded.computeIfAbsent(key(r.getField(0), r.getField(1), r.getField(2)), k -> new ArrayList<>())
                    .add((Instant) r.getField(3));
        }
        return found.stream()
                .filter(r -> recorded.getOrDefault(key(r.source(), r.workload().key(), r.metric()), List.of()).stream()
                        .noneMatch(start -> sameRegression(r, start, baseline)))
                .toList();
    }

    private static boolean sameRegression(RegressionRow found, Instant recordedStart, Duration baseline) {
        Duration apart = Duration.between(recordedStart, found.windowStart()).abs();
        return RegressionRow.ROLLUPS.equals(found.source()) ? apart.compareTo(baseline) < 0 : apart.isZero();
    }

    private static String key(Object source, Object workloadKey, Object metric) {
        return source + "|" + workloadKey + "|" + metric;
    }
}
