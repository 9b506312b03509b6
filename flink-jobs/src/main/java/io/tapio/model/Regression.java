package io.tapio.model;

import java.io.Serial;
import java.io.Serializable;

/**
 * A workload's metric that rose above its own baseline, beyond the threshold, for longer than
 * a burst and on enough data to trust.
 *
 * @param windowStartEpochMillis the first minute of the window that rose
 * @param baseline the metric's usual value: the level of the baseline minutes (the mean of
 *     their middle half), carried forward where the baseline was climbing
 * @param current its level in the window
 * @param changePercent (current - baseline) / baseline, in percent
 * @param confidence from 0 to 1: how sure the rise is, corrected for judging every minute
 * @param windows the one-minute windows the rise was judged over
 * @param samples the events behind the window's values
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
