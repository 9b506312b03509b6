package io.tapio.cli;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.export.EventsConfig;
import io.tapio.job.ExportOptions;
import io.tapio.local.LocalTapio;
import io.tapio.local.RunOptions;
import io.tapio.local.sql.SqlService;
import io.tapio.rollup.RegressionConfig;
import io.tapio.status.StatusStore;
import io.tapio.status.StatusView;
import io.tapio.status.TapioStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tapio run}: Tapio on this machine, until Ctrl-C or the end of {@code --duration}. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs Tapio's streaming job on this machine: a local Flink MiniCluster with its web UI, a "
                    + "Prometheus endpoint and a status endpoint, all on 127.0.0.1, and a live summary.",
            "Stops cleanly on Ctrl-C or at the end of --duration, and prints a final summary."
        })
final class RunCommand implements Callable<Integer> {
    private static final long REFRESH_MILLIS = 1_000;
    /** Without a terminal to redraw, a summary line every this many refreshes. */
    private static final int LINE_EVERY = 10;
    /** Exit code of a run whose job failed after it started. */
    static final int JOB_FAILED = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    SourceOption source = new SourceOption();

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            paramLabel = "D",
            description = "Stop after this long (30s, 5m, 2h; default: until Ctrl-C).")
    Duration duration;

    @Mixin
    HistoryOptions history = new HistoryOptions();

    @Mixin
    ExportOptions exports = new ExportOptions();

    @Option(
            names = "--no-history",
            description = "Keep no history: findings, rollups, regressions and events are "
                    + "not written to the Iceberg tables.")
    boolean noHistory;

    @Option(
            names = "--ui-port",
            defaultValue = "8081",
            description = "Flink web UI port on 127.0.0.1; 0 lets the system choose one, which the run prints "
                    + "(default: ${DEFAULT-VALUE}).")
    int uiPort;

    @Option(
            names = "--metrics-port",
            defaultValue = "9249",
            description = "Prometheus endpoint port on 127.0.0.1; 0 as for --ui-port (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--status-port",
            defaultValue = "9250",
            description = "Status endpoint port on 127.0.0.1, read by tapio check (default: ${DEFAULT-VALUE}).")
    int statusPort;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How often the job checkpoints, which is also how often the history is committed "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(
            names = "--fresh",
            description = "Start over instead of resuming the last checkpoint in --data-dir (the history keeps "
                    + "what it has; the checkpoints of earlier runs are removed).")
    boolean fresh;

    @Option(
            names = "--profile",
            paramLabel = "FILE",
            description =
                    "Record a Java Flight Recorder profile of the run to FILE (open it with JDK Mission Control or 'jfr print').")
    Path profile;

    @Option(
            names = "--sql",
            description = "Also run the SQL service over the history (as tapio sql --serve does), so that tapio sql "
                    + "answers in a fraction of a second; off by default, it holds a Flink planner and cluster.")
    boolean sql;

    @Option(
            names = "--sql-port",
            defaultValue = "8083",
            description = "With --sql: the SQL service's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int sqlPort;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (sql) {
            if (noHistory) {
                throw new IllegalArgumentException("--sql serves the history, which --no-history does not keep");
            }
            new LoopbackPort(sqlPort, "the SQL service", "--sql-port").requireFree();
        }
        new LoopbackPort(uiPort, "the web UI", "--ui-port").requireFree();
        new LoopbackPort(metricsPort, "the Prometheus endpoint", "--metrics-port").requireFree();
        new LoopbackPort(statusPort, "the status endpoint", "--status-port").requireFree();
        RunOptions options = new RunOptions(
                source.resolve(),
                duration,
                history.dataDir(),
                uiPort,
                metricsPort,
                statusPort,
                profile,
                checkpointInterval,
                CorrelationConfig.defaults(),
                RegressionConfig.defaults(),
                noHistory ? null : history.config(),
                exports.exports(EventsConfig.Mode.OFF),
                fresh);
        Thread main = Thread.currentThread();
        // Ctrl-C interrupts the refresh loop, and waits for the final summary to get out.
        try (CtrlC ignored = new CtrlC("run", main::interrupt)) {
            boolean failed;
            try (LocalTapio tapio = LocalTapio.start(options);
                    SqlService sqlService =
                            sql ? SqlService.start(options.history(), options.dataDir(), sqlPort) : null) {
                out.println(resumeLine(tapio));
                out.printf(
                        "Tapio is running (source %s).%n  web UI   http://127.0.0.1:%d%n  metrics  "
                                + "http://127.0.0.1:%d/metrics%n  status   http://127.0.0.1:%d/status   (./tapio check)%n"
                                + "  data     %s%n",
                        options.source().label(),
                        tapio.uiPort(),
                        tapio.metricsPort(),
                        tapio.statusPort(),
                        options.dataDir());
                if (sqlService != null) {
                    out.printf("  sql      127.0.0.1:%d   (./tapio sql)%n", sqlService.port());
                }
                out.printf("Ctrl-C stops it.%n%n");
                out.flush();
                failed = watch(tapio, out);
            }
            out.println("\nTapio stopped. Final summary:");
            out.print(StatusView.render(
                    new StatusStore(options.dataDir()).lastStatus().orElseThrow()));
            out.flush();
            return failed ? JOB_FAILED : 0;
        }
    }

    /** Where the run started from: which checkpoint and how old it was, or fresh and why. */
    private String resumeLine(LocalTapio tapio) {
        return tapio.resumedFrom()
                .map(c -> String.format(
                        "Resumed from checkpoint %d of the last run, %d s old (%s).",
                        c.id(), tapio.ageAtStart(c).toSeconds(), c.path()))
                .orElse(fresh ? "Started fresh (--fresh)." : "Started fresh: no checkpoint to resume in the data dir.");
    }

    /**
     * Refreshes the summary until the duration ends, Ctrl-C, or the job ends (a replay that
     * finished, or a failure); true: it failed.
     */
    private boolean watch(LocalTapio tapio, PrintWriter out) {
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        boolean terminal = System.console() != null;
        long processedAtLine = 0;
        for (int refresh = 1; System.nanoTime() < deadline; refresh++) {
            try {
                Thread.sleep(REFRESH_MILLIS);
            } catch (InterruptedException ctrlC) {
                return false;
            }
            if (!tapio.jobRunning()) {
                String failure = tapio.failureMessage();
                if (failure == null) {
                    // A bounded source (a replayed capture) came to its end: the run is done.
                    return false;
                }
                spec.commandLine().getErr().println("tapio: the job failed: " + failure);
                return true;
            }
            TapioStatus status = tapio.refresh();
            if (terminal) {
                out.print("\033[H\033[2J" + StatusView.render(status));
            } else if (refresh % LINE_EVERY == 0) {
                // The status's rate is over its last second: bursty nodes would read 0 most of the time.
                double perSecond =
                        (status.eventsProcessed() - processedAtLine) * 1000.0 / (LINE_EVERY * REFRESH_MILLIS);
                processedAtLine = status.eventsProcessed();
                out.printf(
                        "%s  %,.0f events/s, %,d processed, %d finding(s), %d problem(s)%n",
                        status.updatedAt(),
                        perSecond,
                        status.eventsProcessed(),
                        status.findings().size(),
                        status.health().problems().size());
            }
            out.flush();
        }
        return false;
    }
}
