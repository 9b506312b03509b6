package io.tapio.rollup;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When a workload's metric has regressed in the stream: every {@code judgeEvery} minutes, the
 * last {@code shortestWindow} minutes, then twice as many and so on up to
 * {@code longestWindow}, against the {@code baselineWindows} minutes before them, by
 * {@link LevelShift}'s rule.
 *
 * @param threshold the relative rise over the baseline that counts (0.10: 10%, the
 *     performance guide's rule)
 * @param baselineWindows how many one-minute windows before the judged ones make the baseline
 * @param minBaselineWindows how many the baseline needs before anything is judged
 * @param shortestWindow the fewest recent minutes judged together
 * @param longestWindow the most recent minutes judged (doubling from the shortest)
 * @param burstWindows how many minutes a burst may last without being a regression
 * @param judgeEvery how often, in minutes, the windows are judged: on the minutes whose number
 *     since the epoch is a multiple of it, less one
 * @param minSamples the fewest events a minute's value must rest on to count at all
 * @param minConfidence how sure, 0 to 1, corrected for how often each metric is judged in a week
 *     (at each window length): 0.95 allows at most 0.05 false regressions a week per metric
 *     that does not change
 */
public record RegressionConfig(
        double threshold,
        int baselineWindows,
        int minBaselineWindows,
        int shortestWindow,
        int longestWindow,
        int burstWindows,
        int judgeEvery,
        long minSamples,
        double minConfidence)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    static final int MINUTES_PER_WEEK = 7 * 24 * 60;

    public RegressionConfig {
        if (threshold <= 0
                || minBaselineWindows < 4
                || minBaselineWindows > baselineWindows
                || burstWindows < 0
                || burstWindows >= shortestWindow
                || longestWindow < shortestWindow
                || judgeEvery < 1
                || minSamples < 1
                || minConfidence <= 0
                || minConfidence >= 1) {
            throw new IllegalArgumentException("invalid regression settings: " + this);
        }
    }

    /**
     * A 10% rise over the last half hour or hour against the two hours before, judged every 5
     * minutes; bursts of up to 20 minutes are not regressions.
     */
    public static RegressionConfig defaults() {
        return new RegressionConfig(0.10, 120, 60, 30, 60, 20, 5, 20, 0.95);
    }

    /** Whether the windows ending with this minute are judged. */
    boolean judges(long minuteEpochMillis) {
        return Math.floorMod(Math.floorDiv(minuteEpochMillis, 60_000) + 1, judgeEvery) == 0;
    }

    /** The lengths judged, in minutes: the shortest, doubled up to the longest. */
    public List<Integer> windows() {
        List<Integer> windows = new ArrayList<>();
        for (int w = shortestWindow; w <= longestWindow; w *= 2) {
            windows.add(w);
        }
        return windows;
    }

    /** The rule, counting a judgement every {@code judgeEvery} minutes at each window length. */
    LevelShift shift() {
        double judgementsPerWeek = (double) windows().size() * MINUTES_PER_WEEK / judgeEvery;
        return new LevelShift(threshold, burstWindows, judgementsPerWeek, minConfidence);
    }

    /**
     * How long a workload's metric history is kept without a new minute: the most history a
     * judgement looks at, the baseline and the longest window (three hours by default).
     */
    public Duration historyTtl() {
        return Duration.ofMinutes((long) baselineWindows + longestWindow);
    }
}
