package io.tapio.history;

import io.tapio.schemas.HistoryTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.types.Row;

/**
 * The performance-regression job over the history ({@code tapio regress}): each workload's
 * rollups in the window against the same hours of earlier days, and each benchmark case's
 * latest run against the ones before it; what regressed is recorded in {@code regressions},
 * once, however often the same window is judged.
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
        HistorySql sql = new HistorySql(config);
        RollupRegressions.Found workloads = RollupRegressions.find(sql, options, now);
        BenchRegressions.Found bench = BenchRegressions.find(sql, options, now);
        List<RegressionRow> found = new ArrayList<>(workloads.regressions());
        found.addAll(bench.regressions());
        List<RegressionRow> fresh = notYetRecorded(sql, found);
        HistoryWrites.regressions(config, fresh);
        return new Outcome(workloads, bench, fresh);
    }

    /** Judging the same window again reports again, but records each regression once. */
    private static List<RegressionRow> notYetRecorded(HistorySql sql, List<RegressionRow> found) throws Exception {
        if (found.isEmpty()) {
            return List.of();
        }
        Set<String> recorded = new HashSet<>();
        for (Row r : sql.query("SELECT workload_key, metric, window_start FROM regressions WHERE source <> '"
                        + RegressionRow.STREAM + "'")
                .rows()) {
            recorded.add(r.getField(0) + "|" + r.getField(1) + "|" + r.getField(2));
        }
        return found.stream()
                .filter(r -> !recorded.contains(r.workload().key() + "|" + r.metric() + "|" + r.windowStart()))
                .toList();
    }
}
