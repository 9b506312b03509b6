package io.tapio.history;

import io.tapio.rollup.LevelShift;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What {@code tapio regress} compares.
 *
 * @param windowEnd the end of the window (exclusive), on a whole minute
 * @param window how long the window is (1 hour to 1 day): the workloads' rollups in it are
 *     compared, in {@link #BLOCKS} blocks of consecutive minutes
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
    /** How many blocks a window is judged in: 5 minutes each of an hour. */
    public static final int BLOCKS = 12;

    /** How long a burst may last and not be a regression. */
    public static final Duration BURST = Duration.ofMinutes(20);

    /** How sure a regression must be, corrected for judging each window once. */
    public static final double MIN_CONFIDENCE = 0.95;

    public RegressOptions {
        windowEnd = windowEnd.truncatedTo(ChronoUnit.MINUTES);
        window = window.truncatedTo(ChronoUnit.MINUTES);
        if (window.compareTo(Duration.ofHours(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("the window must be 1 hour to 1 day (a shorter one cannot tell a "
                    + BURST.toMinutes() + "-minute burst from a regression), not " + window);
        }
        if (baselineDays < 1) {
            throw new IllegalArgumentException("the baseline needs at least one earlier day");
        }
        if (!(thresholdPercent > 0)) {
            throw new IllegalArgumentException("the threshold must be above 0%, not " + thresholdPercent + "%");
        }
    }

    /**
     * The rule for a window's {@link #BLOCKS} blocks against the baseline days' blocks: a burst
     * of {@link #BURST} touches at most {@code ceil(BURST / block) + 1} consecutive blocks, and a
     * metric judged once a window is judged {@code 7 days / window} times a week.
     */
    public LevelShift shift() {
        double blockMinutes = window.toMinutes() / (double) BLOCKS;
        int burstBlocks = (int) Math.ceil(BURST.toMinutes() / blockMinutes) + 1;
        double judgementsPerWeek = Duration.ofDays(7).toMinutes() / (double) window.toMinutes();
        return new LevelShift(thresholdPercent / 100, burstBlocks, judgementsPerWeek, MIN_CONFIDENCE);
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
