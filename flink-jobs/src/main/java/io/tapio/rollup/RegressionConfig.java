package io.tapio.rollup;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * When a workload's metric has regressed.
 *
 * @param threshold the relative increase over the baseline that counts (0.10: 10%, the
 *     performance guide's rule)
 * @param baselineWindows how many earlier one-minute windows make the baseline
 * @param minBaselineWindows how many the baseline needs before anything is judged
 * @param persistWindows how many consecutive windows the increase must last
 * @param minSamples the fewest events a window's value must rest on to count at all
 * @param minConfidence how sure, from 0 to 1, the increase must be beyond the baseline's own
 *     variation: each of its windows is measured in the baseline's standard deviations, and
 *     the weakest decides
 */
public record RegressionConfig(
        double threshold,
        int baselineWindows,
        int minBaselineWindows,
        int persistWindows,
        long minSamples,
        double minConfidence)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RegressionConfig {
        if (threshold <= 0
                || baselineWindows < 1
                || minBaselineWindows < 2
                || minBaselineWindows > baselineWindows
                || persistWindows < 1
                || minSamples < 1
                || minConfidence < 0
                || minConfidence >= 1) {
            throw new IllegalArgumentException("invalid regression settings: " + this);
        }
    }

    public static RegressionConfig defaults() {
        return new RegressionConfig(0.10, 30, 10, 3, 20, 0.95);
    }

    /**
     * How long a workload's metric history is kept without a new window: twice the baseline's
     * span of one-minute windows (an hour by default).
     */
    public Duration historyTtl() {
        return Duration.ofMinutes(2L * baselineWindows);
    }
}
