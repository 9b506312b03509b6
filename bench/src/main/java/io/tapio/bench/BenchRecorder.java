package io.tapio.bench;

import io.tapio.ebpf.node.NodeName;
import io.tapio.history.BenchRun;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One benchmark run's cases as {@code bench_runs} keeps them, so that {@code tapio regress}
 * compares each run with the ones before it: one run id and start for all the cases of a run,
 * the commit the build was made from, this node.
 */
public final class BenchRecorder {
    /** The commit the build was made from: ./tapio and the image set it. */
    public static final String COMMIT_VARIABLE = "TAPIO_COMMIT";

    private final String runId = UUID.randomUUID().toString();
    private final Instant startedAt = Instant.now();

    public String runId() {
        return runId;
    }

    /** One case of this run, figures in events/s and seconds; null where the benchmark does not measure one. */
    public BenchRun run(
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
                Objects.requireNonNullElse(System.getenv(COMMIT_VARIABLE), "unknown"),
                NodeName.local(),
                throughput,
                p50,
                p99,
                p999,
                lost,
                parameters);
    }

    /** One case of this run that measures what something costs the node, in {@code unit}; lower is better. */
    public BenchRun cost(String benchmark, String caseName, double cost, String unit, Map<String, String> parameters) {
        return new BenchRun(
                startedAt,
                runId,
                benchmark,
                caseName,
                Objects.requireNonNullElse(System.getenv(COMMIT_VARIABLE), "unknown"),
                NodeName.local(),
                null,
                null,
                null,
                null,
                null,
                parameters,
                cost,
                unit);
    }
}
