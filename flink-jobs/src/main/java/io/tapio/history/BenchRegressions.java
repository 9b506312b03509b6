package io.tapio.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.types.Row;

/**
 * Tapio watching its own performance: for each benchmark case, the latest run up to the
 * window's end against the median of the runs before it. The seed guide's rule: a drop in
 * throughput or a rise in p99 latency beyond the threshold is a regression; so is a rise in
 * what a case costs the node.
 */
public final class BenchRegressions {
    private BenchRegressions() {}

    /** What regressed, and how many cases had a latest run with earlier ones to compare with. */
    public record Found(List<RegressionRow> regressions, int casesCompared) {}

    private record Run(
            String benchmark,
            String caseName,
            String host,
            Instant startedAt,
            Double throughput,
            Double p99,
            Double cost) {}

    public static Found find(HistorySql sql, RegressOptions o, Instant now) throws Exception {
        HistorySql.Result result =
                sql.query("SELECT benchmark, case_name, host, started_at, throughput, p99_latency, cost "
                        + "FROM bench_runs WHERE started_at < " + RollupRegressions.timestamp(o.windowEnd()));
        Map<String, List<Run>> byCase = new TreeMap<>();
        for (Row r : result.rows()) {
            Run run = new Run(
                    (String) r.getField(0),
                    (String) r.getField(1),
                    (String) r.getField(2),
                    (Instant) r.getField(3),
                    (Double) r.getField(4),
                    (Double) r.getField(5),
                    (Double) r.getField(6));
            byCase.computeIfAbsent(run.benchmark() + "\u0000" + run.caseName(), k -> new ArrayList<>())
                    .add(run);
        }
        List<RegressionRow> found = new ArrayList<>();
        int compared = 0;
        for (List<Run> runs : byCase.values()) {
            runs.sort(Comparator.comparing(Run::startedAt));
            if (runs.size() < 2) {
                continue;
            }
            compared++;
            Run latest = runs.getLast();
            List<Run> earlier = runs.subList(Math.max(0, runs.size() - 1 - o.baselineRuns()), runs.size() - 1);
            judge(latest, earlier, "throughput", Run::throughput, false, o, now, found);
            judge(latest, earlier, "p99_latency", Run::p99, true, o, now, found);
            judge(latest, earlier, "cost", Run::cost, true, o, now, found);
        }
        return new Found(found, compared);
    }

    private static void judge(
            Run latest,
            List<Run> earlier,
            String metric,
            Function<Run, Double> figure,
            boolean higherIsWorse,
            RegressOptions o,
            Instant now,
            List<RegressionRow> found) {
        Double current = figure.apply(latest);
        List<Double> before =
                earlier.stream().map(figure).filter(v -> v != null).sorted().toList();
        if (current == null || before.isEmpty()) {
            return;
        }
        double baseline = median(before);
        if (baseline <= 0) {
            return;
        }
        double worse = 100 * (higherIsWorse ? current - baseline : baseline - current) / baseline;
        if (worse <= o.thresholdPercent()) {
            return;
        }
        double confidence = before.stream()
                        .filter(v -> higherIsWorse ? v < current : v > current)
                        .count()
                / (double) before.size();
        found.add(new RegressionRow(
                now,
                RegressionRow.BENCH,
                WorkloadId.benchmark(latest.benchmark(), latest.caseName(), latest.host()),
                metric,
                latest.startedAt(),
                latest.startedAt(),
                baseline,
                current,
                worse,
                o.thresholdPercent(),
                confidence,
                1,
                1));
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
