package io.tapio.history;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;

/**
 * One case of one run of {@code tapio bench}, as {@code bench_runs} keeps it. Figures a
 * benchmark does not measure are null.
 *
 * @param caseName the case within the benchmark (a rate, a consumer): runs are compared case by case
 * @param throughput events per second
 * @param p99Latency seconds, as the other latencies
 * @param cost what the case costs the node, in {@code costUnit}; lower is better
 */
public record BenchRun(
        Instant startedAt,
        String runId,
        String benchmark,
        String caseName,
        String gitCommit,
        String host,
        Double throughput,
        Double p50Latency,
        Double p99Latency,
        Double p999Latency,
        Long lost,
        Map<String, String> parameters,
        Double cost,
        String costUnit)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public BenchRun {
        parameters = Map.copyOf(parameters);
    }

    /** A case that measures rates and latencies, no cost. */
    public BenchRun(
            Instant startedAt,
            String runId,
            String benchmark,
            String caseName,
            String gitCommit,
            String host,
            Double throughput,
            Double p50Latency,
            Double p99Latency,
            Double p999Latency,
            Long lost,
            Map<String, String> parameters) {
        this(
                startedAt,
                runId,
                benchmark,
                caseName,
                gitCommit,
                host,
                throughput,
                p50Latency,
                p99Latency,
                p999Latency,
                lost,
                parameters,
                null,
                null);
    }
}
