package io.tapio.cli;

import io.tapio.ebpf.node.NodeName;
import io.tapio.history.BenchRun;
import io.tapio.history.HistoryWrites;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a benchmark's results go besides the screen: {@code bench_runs} in the history, so that
 * {@code tapio regress} compares each run with the ones before it.
 */
final class BenchRecording {
    /** The commit the build was made from: ./tapio and the image set it. */
    static final String COMMIT_VARIABLE = "TAPIO_COMMIT";

    @Mixin
    HistoryOptions history = new HistoryOptions();

    @Option(names = "--no-record", description = "Do not record the results in the history's bench_runs table.")
    boolean noRecord;

    private final String runId = UUID.randomUUID().toString();
    private final Instant startedAt = Instant.now();

    /** One case of this run, figures in events/s and seconds; null where the benchmark does not measure one. */
    BenchRun run(
            String benchmark,
            String caseName,
            Double throughput,
            Double p50,
            Double p99,
            Double p999,
            Long lost,
            Map<String, String> parameters) {
        return new BenchRun(
                startedAt,
                runId,
                benchmark,
                caseName,
                java.util.Objects.requireNonNullElse(System.getenv(COMMIT_VARIABLE), "unknown"),
                NodeName.local(),
                throughput,
                p50,
                p99,
                p999,
                lost,
                parameters);
    }

    void record(List<BenchRun> runs, PrintWriter out) throws Exception {
        if (noRecord) {
            return;
        }
        out.printf("recording %d case(s) in bench_runs ... ", runs.size());
        out.flush();
        HistoryWrites.benchRuns(history.config(), runs);
        out.println("done (run " + runId + "; ./tapio regress compares it with earlier runs)");
    }
}
