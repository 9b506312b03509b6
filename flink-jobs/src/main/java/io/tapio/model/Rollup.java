package io.tapio.model;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/**
 * One workload's minute: what its events add up to, the input of regression detection and
 * of the history.
 *
 * @param minuteEpochMillis the start of the minute, wall clock
 * @param events events of the workload in the minute, by type label
 * @param failures abnormal exits, OOM kills, failed connects and failed opens
 * @param metrics the minute's value of each {@link RollupMetric}, with the number of
 *     events behind it
 */
public record Rollup(
        String workloadKey,
        Workload workload,
        long minuteEpochMillis,
        Map<String, Long> events,
        long failures,
        Map<RollupMetric, Sample> metrics)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public Rollup {
        events = Map.copyOf(events);
        metrics = Map.copyOf(metrics);
    }

    /** A metric's value over {@code count} events. */
    public record Sample(double value, long count) implements Serializable {}
}
