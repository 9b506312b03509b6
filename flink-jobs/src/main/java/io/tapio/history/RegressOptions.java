package io.tapio.history;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What {@code tapio regress} compares.
 *
 * @param windowEnd the end of the window (exclusive), on a whole minute
 * @param window how long the window is: the workloads' rollups in it are compared
 * @param baselineDays how many earlier days give the baseline, each with the same hours as the window
 * @param thresholdPercent how much worse than its baseline a metric must be to have regressed
 * @param minSamples events behind a metric's value, in the window and in the baseline, below which
 *     it is not judged: a p99 of three waits is noise
 * @param baselineRuns how many earlier benchmark runs give a benchmark case's baseline (their median)
 */
public record RegressOptions(
        Instant windowEnd,
        Duration window,
        int baselineDays,
        double thresholdPercent,
        long minSamples,
        int baselineRuns) {
    public RegressOptions {
        windowEnd = windowEnd.truncatedTo(ChronoUnit.MINUTES);
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the window must be 1 minute to 1 day, not " + window);
        }
        if (baselineDays < 1) {
            throw new IllegalArgumentException("the baseline needs at least one earlier day");
        }
        if (!(thresholdPercent > 0)) {
            throw new IllegalArgumentException("the threshold must be above 0%, not " + thresholdPercent + "%");
        }
    }

    public Instant windowStart() {
        return windowEnd.minus(window);
    }

    /** The window moved {@code daysBack} days earlier: 0 is the window itself. */
    Instant startDaysBack(int daysBack) {
        return windowStart().minus(Duration.ofDays(daysBack));
    }

    Instant endDaysBack(int daysBack) {
        return windowEnd.minus(Duration.ofDays(daysBack));
    }
}
