package io.tapio.model;

import java.util.Locale;

/**
 * What regression detection compares, per workload and minute; for each, higher is worse, so
 * a regression is an increase. Latencies are in seconds; the
 * kernel delivers run-queue and block-I/O waits only over its thresholds, so their p99 is
 * that of the slow waits, and their rate counts them.
 */
public enum RollupMetric {
    EVENT_RATE("events per minute"),
    FAILURES("failures per minute"),
    RUNQ_SLOW_WAITS("run-queue waits over the threshold per minute"),
    RUNQ_LATENCY_P99("p99 run-queue wait (slow waits)"),
    BLOCK_IO_SLOW("block I/O over the threshold per minute"),
    BLOCK_IO_LATENCY_P99("p99 block I/O latency (slow requests)"),
    CONNECT_LATENCY_P99("p99 TCP connect latency");

    private final String description;

    RollupMetric(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
