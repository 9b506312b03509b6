package io.tapio.history;

import io.tapio.schemas.RollupsTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.types.Row;

/**
 * The workloads whose rollups in the window are worse than in the same hours of earlier days.
 * Flink does the heavy part in one batch query (scan the window and the baseline days, one
 * aggregate per workload and day); the rule is applied here to the few thousand aggregates.
 *
 * <p>For each workload and metric: {@code current} is the mean over the window's minutes with
 * a value; {@code baseline} the mean over the baseline days' minutes; it regressed when
 * {@code current} exceeds {@code baseline} by more than the threshold, with at least
 * {@code minSamples} events behind each. {@code confidence} is the share of baseline days
 * that were better than now: 1.0 when every earlier day was.
 */
public final class RollupRegressions {
    private static final List<String> WORKLOAD =
            List.of("workload", "node", "namespace", "pod", "container", "owner_kind", "owner_name", "unit");

    private RollupRegressions() {}

    /** What regressed, reported at {@code now}; and how many workloads had rollups in the window. */
    public record Found(List<RegressionRow> regressions, int workloadsCompared) {}

    public static Found find(HistorySql sql, RegressOptions o, Instant now) throws Exception {
        HistorySql.Result result = sql.query(query(o));
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < result.columns().size(); i++) {
            column.put(result.columns().get(i), i);
        }
        Map<String, Map<Integer, Row>> byWorkload = new TreeMap<>();
        for (Row row : result.rows()) {
            byWorkload
                    .computeIfAbsent((String) row.getField(0), k -> new TreeMap<>())
                    .put((Integer) row.getField(1), row);
        }
        List<RegressionRow> found = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, Map<Integer, Row>> workload : byWorkload.entrySet()) {
            Row now0 = workload.getValue().get(0);
            if (now0 == null) {
                continue; // only in the baseline: nothing to compare
            }
            compared++;
            WorkloadId id = workloadId(workload.getKey(), now0, column);
            for (RollupsTable.Metric metric : RollupsTable.METRICS) {
                RegressionRow r = judge(id, metric, workload.getValue(), column, o, now);
                if (r != null) {
                    found.add(r);
                }
            }
        }
        return new Found(found, compared);
    }

    private static RegressionRow judge(
            WorkloadId id,
            RollupsTable.Metric metric,
            Map<Integer, Row> days,
            Map<String, Integer> column,
            RegressOptions o,
            Instant now) {
        int mean = column.get(metric.name());
        int minutes = column.get(metric.name() + "_minutes");
        int samples = column.get(metric.samplesColumn());
        Row window = days.get(0);
        Double current = (Double) window.getField(mean);
        long currentSamples = number(window.getField(samples));
        double weighted = 0;
        long baselineMinutes = 0;
        long baselineSamples = 0;
        List<Double> dayMeans = new ArrayList<>();
        for (Map.Entry<Integer, Row> day : days.entrySet()) {
            Double dayMean = (Double) day.getValue().getField(mean);
            if (day.getKey() == 0 || dayMean == null) {
                continue;
            }
            long n = number(day.getValue().getField(minutes));
            weighted += dayMean * n;
            baselineMinutes += n;
            baselineSamples += number(day.getValue().getField(samples));
            dayMeans.add(dayMean);
        }
        if (current == null
                || baselineMinutes == 0
                || currentSamples < o.minSamples()
                || baselineSamples < o.minSamples()) {
            return null;
        }
        double baseline = weighted / baselineMinutes;
        if (baseline <= 0) {
            return null; // a change from nothing has no percentage; findings report such things
        }
        double change = 100 * (current - baseline) / baseline;
        if (change <= o.thresholdPercent()) {
            return null;
        }
        double confidence = dayMeans.stream().filter(d -> d < current).count() / (double) dayMeans.size();
        return new RegressionRow(
                now,
                RegressionRow.ROLLUPS,
                id,
                metric.name(),
                o.windowStart(),
                o.windowEnd(),
                baseline,
                current,
                change,
                o.thresholdPercent(),
                confidence,
                (int) number(window.getField(minutes)),
                currentSamples);
    }

    private static WorkloadId workloadId(String key, Row row, Map<String, Integer> column) {
        List<String> v =
                WORKLOAD.stream().map(c -> (String) row.getField(column.get(c))).toList();
        return new WorkloadId(key, v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), v.get(7));
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** One row per workload and day back (0 is the window) with each metric's mean, minutes and samples. */
    static String query(RegressOptions o) {
        List<Integer> days = IntStream.rangeClosed(0, o.baselineDays()).boxed().toList();
        String dayOf =
                days.stream().map(k -> " WHEN " + range(o, k) + " THEN " + k).collect(Collectors.joining());
        String inAnyRange = days.stream().map(k -> "(" + range(o, k) + ")").collect(Collectors.joining(" OR "));
        String metrics = RollupsTable.METRICS.stream()
                .map(m -> ", AVG(" + m.name() + ") AS " + m.name()
                        + ", COUNT(" + m.name() + ") AS " + m.name() + "_minutes"
                        + ", SUM(" + m.samplesColumn() + ") AS " + m.samplesColumn())
                .collect(Collectors.joining());
        String workload = WORKLOAD.stream().map(c -> ", MAX(" + c + ") AS " + c).collect(Collectors.joining());
        return "SELECT workload_key, day_back" + workload + metrics
                + " FROM (SELECT *, CASE" + dayOf + " END AS day_back FROM rollups WHERE " + inAnyRange + ")"
                + " GROUP BY workload_key, day_back";
    }

    private static String range(RegressOptions o, int daysBack) {
        return "minute_start >= " + timestamp(o.startDaysBack(daysBack)) + " AND minute_start < "
                + timestamp(o.endDaysBack(daysBack));
    }

    /** A TIMESTAMP_LTZ literal: the planner folds it to a constant that Iceberg prunes files with. */
    static String timestamp(Instant t) {
        return "TO_TIMESTAMP_LTZ(" + t.toEpochMilli() + ", 3)";
    }
}
