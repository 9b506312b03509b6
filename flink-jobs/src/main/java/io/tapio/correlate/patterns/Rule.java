package io.tapio.correlate.patterns;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * When a pattern's occurrences make an episode, and when the episode is over. Configuration:
 * every pattern has defaults, and each can be changed.
 *
 * @param occurrences how many within the window open an episode
 * @param window the span they must fall in
 * @param quiet how long without an occurrence ends an open episode
 * @param baselineFactor 0, or how many times its usual level the window's count must be;
 *     the usual level is the average window over the {@code baselineWindows} before, and
 *     nothing opens before the workload has been watched that long
 * @param baselineWindows how many windows the usual level is taken over
 * @param minSpacing occurrences closer than this to the previous one are one: several
 *     processes of a workload failing at once are one failure of it, and a supervisor waits
 *     between restarts
 * @param minSpan the occurrences in the window must span at least this: a lasting problem, not a
 *     passing one (a script waiting a few seconds for a file or a port that then comes)
 */
public record Rule(
        int occurrences,
        Duration window,
        Duration quiet,
        double baselineFactor,
        int baselineWindows,
        Duration minSpacing,
        Duration minSpan)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    public Rule {
        if (occurrences < 1) {
            throw new IllegalArgumentException("a rule needs at least one occurrence, not " + occurrences);
        }
        if (window.isNegative() || window.isZero() || quiet.isNegative() || quiet.isZero()) {
            throw new IllegalArgumentException("window and quiet period must be positive");
        }
        if (minSpacing.isNegative() || minSpan.isNegative() || minSpan.compareTo(window) > 0) {
            throw new IllegalArgumentException("spacing and span must be positive, and the span within the window");
        }
    }

    /** {@code occurrences} within {@code window}; over after {@code quiet} without one. */
    public static Rule count(int occurrences, Duration window, Duration quiet) {
        return new Rule(occurrences, window, quiet, 0, 0, Duration.ZERO, Duration.ZERO);
    }

    /** Occurrences closer than {@code spacing} to the previous one count as one. */
    public Rule withMinSpacing(Duration spacing) {
        return new Rule(occurrences, window, quiet, baselineFactor, baselineWindows, spacing, minSpan);
    }

    /** The occurrences must span at least {@code span}: it lasts. */
    public Rule lasting(Duration span) {
        return new Rule(occurrences, window, quiet, baselineFactor, baselineWindows, minSpacing, span);
    }

    public Rule overBaseline(double factor, int windows) {
        return new Rule(occurrences, window, quiet, factor, windows, minSpacing, minSpan);
    }

    /** How far back an episode needs to remember occurrences. */
    public long memoryMillis() {
        return window.toMillis() * Math.max(1, baselineWindows + 1);
    }
}
