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
        Map<String, String> parameters)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public BenchRun {
        parameters = Map.copyOf(parameters);
    }
}
