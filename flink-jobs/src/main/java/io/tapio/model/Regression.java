package io.tapio.model;

import java.io.Serial;
import java.io.Serializable;

/**
 * A workload's metric that moved away from its own baseline, beyond the threshold, for long
 * enough and on enough data to trust.
 *
 * @param baseline the metric's usual value (mean of the baseline windows)
 * @param current its value now (mean of the persisting windows)
 * @param changePercent (current - baseline) / baseline, in percent
 * @param confidence from 0 to 1: how unlikely the change is under the baseline's own variation
 * @param windows consecutive one-minute windows the change has persisted
 */
public record Regression(
        String workloadKey,
        Workload workload,
        RollupMetric metric,
        long windowStartEpochMillis,
        double baseline,
        double current,
        double changePercent,
        double confidence,
        int windows,
        long samples)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
