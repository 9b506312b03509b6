package io.tapio.cli;

import io.tapio.bench.BenchRecorder;
import io.tapio.history.BenchRun;
import io.tapio.history.HistoryWrites;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a benchmark's results go besides the screen: {@code bench_runs} in the history, so that
 * {@code tapio regress} compares each run with the ones before it.
 */
final class BenchRecording {
    @Mixin
    HistoryOptions history = new HistoryOptions();

    @Option(names = "--no-record", description = "Do not record the results in the history's bench_runs table.")
    boolean noRecord;

    /** This run's cases. */
    final BenchRecorder run = new BenchRecorder();

    void record(List<BenchRun> runs, PrintWriter out) throws Exception {
        if (noRecord) {
            return;
        }
        out.printf("recording %d case(s) in bench_runs ... ", runs.size());
        out.flush();
        HistoryWrites.benchRuns(history.config(), runs);
        out.println("done (run " + run.runId() + "; ./tapio regress compares it with earlier runs)");
    }
}
