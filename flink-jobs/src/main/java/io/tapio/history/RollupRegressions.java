package io.tapio.history;

import io.tapio.rollup.LevelShift;
import io.tapio.schemas.RollupsTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * aggregate per workload, day and block of the window); the rule is applied here to the few
 * thousand aggregates.
 *
 * <p>The window is cut into {@link RegressOptions#BLOCKS} blocks of consecutive minutes, and so
 * are the same hours of each baseline day; a block's value is the mean of its minutes, taken
 * over the level of the same block on every day (the window's and the baseline's), so that the
 * shape of the hours (a daily climb within the window) is no rise. For each workload and
 * metric, the window's blocks are judged against the baseline days' by {@link LevelShift}: a
 * rise beyond the threshold, that stays certain without the blocks a
 * {@link RegressOptions#BURST} can touch, at 95% confidence for a detector asked once a window
 * ({@code 7 days / window} times a week). A metric needs {@code minSamples} events behind it in
 * the window and in the baseline. The baseline reported is the level of the baseline days'
 * blocks, the current value that times the rise.
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
        Map<String, List<Row>> byWorkload = new TreeMap<>();
        for (Row row : result.rows()) {
            byWorkload
                    .computeIfAbsent((String) row.getField(0), k -> new ArrayList<>())
                    .add(row);
        }
        LevelShift shift = o.shift();
        List<RegressionRow> found = new ArrayList<>();
        int compared = 0;
        for (Map.Entry<String, List<Row>> workload : byWorkload.entrySet()) {
            List<Row> blocks = workload.getValue();
            blocks.sort(Comparator.comparing((Row r) -> (Integer) r.getField(1))
                    .thenComparing(r -> (Integer) r.getField(2)));
            if ((Integer) blocks.getFirst().getField(1) != 0) {
                continue; // only in the baseline: nothing to compare
            }
            compared++;
            WorkloadId id = workloadId(workload.getKey(), blocks.getFirst(), column);
            for (RollupsTable.Metric metric : RollupsTable.METRICS) {
                RegressionRow r = judge(id, metric, blocks, column, o, shift, now);
                if (r != null) {
                    found.add(r);
                }
            }
        }
        return new Found(found, compared);
    }

    /** @param blocks the workload's blocks, the window's (day 0) first, each day's in order */
    private static RegressionRow judge(
            WorkloadId id,
            RollupsTable.Metric metric,
            List<Row> blocks,
            Map<String, Integer> column,
            RegressOptions o,
            LevelShift shift,
            Instant now) {
        int mean = column.get(metric.name());
        int minutes = column.get(metric.name() + "_minutes");
        int samples = column.get(metric.samplesColumn());
        // each block of the window with the same block of the baseline days: its value and theirs
        // over the level of all of them, so that the hours' own shape (a daily climb) is no rise
        Double[] windowAt = new Double[RegressOptions.BLOCKS];
        List<List<Double>> baselineAt = new ArrayList<>();
        for (int b = 0; b < RegressOptions.BLOCKS; b++) {
            baselineAt.add(new ArrayList<>());
        }
        long windowMinutes = 0;
        long windowSamples = 0;
        long baselineSamples = 0;
        for (Row block : blocks) {
            Double value = (Double) block.getField(mean);
            if (value == null) {
                continue;
            }
            int at = (Integer) block.getField(2);
            if ((Integer) block.getField(1) == 0) {
                windowAt[at] = value;
                windowMinutes += number(block.getField(minutes));
                windowSamples += number(block.getField(samples));
            } else {
                baselineAt.get(at).add(value);
                baselineSamples += number(block.getField(samples));
            }
        }
        if (windowSamples < o.minSamples() || baselineSamples < o.minSamples()) {
            return null;
        }
        List<Double> window = new ArrayList<>();
        List<Double> baseline = new ArrayList<>();
        for (int b = 0; b < RegressOptions.BLOCKS; b++) {
            List<Double> all = new ArrayList<>(baselineAt.get(b));
            if (windowAt[b] == null || all.isEmpty()) {
                continue;
            }
            all.add(windowAt[b]);
            double level = LevelShift.level(values(all));
            if (level > 0) {
                window.add(windowAt[b] / level);
                baselineAt.get(b).forEach(v -> baseline.add(v / level));
            }
        }
        LevelShift.Verdict verdict = shift.judge(values(window), values(baseline));
        if (verdict == null) {
            return null;
        }
        double usual = LevelShift.level(
                values(baselineAt.stream().flatMap(List::stream).toList()));
        return new RegressionRow(
                now,
                RegressionRow.ROLLUPS,
                id,
                metric.name(),
                o.windowStart(),
                o.windowEnd(),
                usual,
                usual * (1 + verdict.change()),
                100 * verdict.change(),
                o.thresholdPercent(),
                verdict.confidence(),
                (int) windowMinutes,
                windowSamples);
    }

    private static double[] values(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static WorkloadId workloadId(String key, Row row, Map<String, Integer> column) {
        List<String> v =
                WORKLOAD.stream().map(c -> (String) row.getField(column.get(c))).toList();
        return new WorkloadId(key, v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), v.get(7));
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /**
     * One row per workload, day back (0 is the window) and block of the window, with each
     * metric's mean, minutes and samples.
     */
    static String query(RegressOptions o) {
        List<Integer> days = IntStream.rangeClosed(0, o.baselineDays()).boxed().toList();
        String dayOf =
                days.stream().map(k -> " WHEN " + range(o, k) + " THEN " + k).collect(Collectors.joining());
        String minuteOf = days.stream()
                .map(k -> " WHEN " + range(o, k) + " THEN TIMESTAMPDIFF(MINUTE, " + timestamp(o.startDaysBack(k))
                        + ", minute_start)")
                .collect(Collectors.joining());
        String blockOf = "CAST(FLOOR((CASE" + minuteOf + " END) * " + RegressOptions.BLOCKS + ".0 / "
                + o.window().toMinutes() + ") AS INT)";
        String inAnyRange = days.stream().map(k -> "(" + range(o, k) + ")").collect(Collectors.joining(" OR "));
        String metrics = RollupsTable.METRICS.stream()
                .map(m -> ", AVG(" + m.name() + ") AS " + m.name()
                        + ", COUNT(" + m.name() + ") AS " + m.name() + "_minutes"
                        + ", SUM(" + m.samplesColumn() + ") AS " + m.samplesColumn())
                .collect(Collectors.joining());
        String workload = WORKLOAD.stream().map(c -> ", MAX(" + c + ") AS " + c).collect(Collectors.joining());
        return "SELECT workload_key, day_back, block" + workload + metrics
                + " FROM (SELECT *, CASE" + dayOf + " END AS day_back, " + blockOf + " AS block"
                + " FROM rollups WHERE " + inAnyRange + ")"
                + " GROUP BY workload_key, day_back, block";
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
