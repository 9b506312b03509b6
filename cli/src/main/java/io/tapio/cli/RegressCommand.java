package io.tapio.cli;

import io.tapio.history.Regress;
import io.tapio.history.RegressOptions;
import io.tapio.history.RegressionRow;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tapio regress}: the performance-regression job over the history. */
@Command(
        name = "regress",
        mixinStandardHelpOptions = true,
        description = {
            "Compares each workload's rollups in the last window with the same hours of earlier days, and "
                    + "the latest benchmark runs with earlier ones; records what regressed in the regressions table.",
            "Exit status: 0 nothing regressed, 1 something regressed (for a CronJob or CI to alert on), "
                    + "2 it could not run."
        })
final class RegressCommand implements Callable<Integer> {
    /** Exit code when something regressed. */
    static final int REGRESSED = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    HistoryOptions history;

    @Option(
            names = "--window",
            defaultValue = "1h",
            converter = DurationConverter.class,
            paramLabel = "D",
            description =
                    "The window that is judged, ending now: 1h to 1d (default: ${DEFAULT-VALUE}). Run once a window: "
                            + "the confidence counts one judgement a window.")
    Duration window;

    @Option(
            names = "--baseline",
            defaultValue = "7d",
            converter = DurationConverter.class,
            paramLabel = "D",
            description = "Earlier days whose same hours are the baseline, in whole days (default: ${DEFAULT-VALUE}).")
    Duration baseline;

    @Option(
            names = "--threshold",
            defaultValue = "10%",
            converter = PercentConverter.class,
            paramLabel = "P",
            description = "How much worse than the baseline is a regression (default: 10%%).")
    double threshold;

    @Option(
            names = "--min-samples",
            defaultValue = "30",
            paramLabel = "N",
            description = "Events behind a metric, in the window and in the baseline, below which it is not judged "
                    + "(default: ${DEFAULT-VALUE}).")
    long minSamples;

    @Option(
            names = "--bench-baseline-runs",
            defaultValue = "5",
            paramLabel = "N",
            description = "Earlier runs whose median is a benchmark case's baseline (default: ${DEFAULT-VALUE}).")
    int baselineRuns;

    @Option(
            names = "--at",
            paramLabel = "TIME",
            description = "Judge the window ending at this ISO-8601 instant "
                    + "(e.g. 2026-01-05T14:00:00Z) rather than now.")
    Instant at;

    @Override
    public Integer call() throws Exception {
        if (baseline.toHours() % 24 != 0 || baseline.isZero()) {
            throw new IllegalArgumentException("--baseline is a number of whole days (7d), to compare the same hours "
                    + "of earlier days; not " + baseline);
        }
        Instant now = Instant.now();
        RegressOptions options = new RegressOptions(
                at != null ? at : now, window, (int) baseline.toDays(), threshold, minSamples, baselineRuns);
        Regress.Outcome outcome = Regress.run(history.config(), options, now);
        List<RegressionRow> found = outcome.regressions();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "%s to %s against the same hours of the %d days before, threshold %.0f%%: %d workloads compared; "
                        + "latest benchmark runs against the %d before: %d cases compared%n",
                options.windowStart(),
                options.windowEnd(),
                options.baselineDays(),
                threshold,
                outcome.workloads().workloadsCompared(),
                baselineRuns,
                outcome.bench().casesCompared());
        if (outcome.workloads().workloadsCompared() == 0) {
            spec.commandLine()
                    .getErr()
                    .println("tapio regress: no workload has rollups in the window: is the streaming "
                            + "job writing to this history?");
        }
        if (found.isEmpty()) {
            out.println("no regression");
            out.flush();
            return 0;
        }
        print(found, out);
        out.printf(
                "%d regression%s (%d newly recorded in regressions)%n",
                found.size(), found.size() == 1 ? "" : "s", outcome.recorded().size());
        out.flush();
        return REGRESSED;
    }

    private static void print(List<RegressionRow> found, PrintWriter out) {
        Table table = new Table(
                "workload", "metric", "baseline", "current", "change", "confidence", "minutes/runs", "samples");
        for (RegressionRow r : found) {
            table.row(
                    r.workload().key(),
                    r.metric(),
                    figure(r.baseline()),
                    figure(r.current()),
                    String.format(
                            "%+.1f%%",
                            RegressionRow.BENCH.equals(r.source()) && r.metric().equals("throughput")
                                    ? -r.changePercent()
                                    : r.changePercent()),
                    String.format("%.2f", r.confidence()),
                    r.windows(),
                    r.samples());
        }
        out.print(table);
    }

    private static String figure(double v) {
        return Math.abs(v) >= 100
                ? String.format("%,.0f", v)
                : Math.abs(v) >= 0.01 ? String.format("%.3f", v) : String.format("%.3g", v);
    }
}
