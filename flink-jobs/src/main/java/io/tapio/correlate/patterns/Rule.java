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
 * @param restartsBetween whether the subject must have been restarted between the
 *     occurrences (at least occurrences - 1 restarts in the window), and (almost) every run
 *     have failed (occurrences at least {@link #LOOP_FAILURE_SHARE} of the restarts): what
 *     makes a loop, as opposed to a tool that often runs and sometimes fails
 * @param baselineFactor 0, or how many times its usual level the window's count must be;
 *     the usual level is the average window over the {@code baselineWindows} before, and
 *     nothing opens before the workload has been watched that long
 * @param baselineWindows how many windows the usual level is taken over
 * @param minSpacing occurrences (and restarts) closer than this to the previous one are one:
 *     a supervisor restarting a failed program waits between attempts, a script calling a
 *     tool that "fails" (grep, readlink, test) does not
 */
public record Rule(
        int occurrences,
        Duration window,
        Duration quiet,
        boolean restartsBetween,
        double baselineFactor,
        int baselineWindows,
        Duration minSpacing)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final double LOOP_FAILURE_SHARE = 0.8;

    public Rule {
        if (occurrences < 1) {
            throw new IllegalArgumentException("a rule needs at least one occurrence, not " + occurrences);
        }
        if (window.isNegative() || window.isZero() || quiet.isNegative() || quiet.isZero()) {
            throw new IllegalArgumentException("window and quiet period must be positive");
        }
    }

    /** {@code occurrences} within {@code window}; over after {@code quiet} without one. */
    public static Rule count(int occurrences, Duration window, Duration quiet) {
        return new Rule(occurrences, window, quiet, false, 0, 0, Duration.ZERO);
    }

    /** A loop: restarted between occurrences at least {@code minSpacing} apart, nearly every run failing. */
    public Rule withRestartsBetween(Duration minSpacing) {
        return new Rule(occurrences, window, quiet, true, baselineFactor, baselineWindows, minSpacing);
    }

    public Rule overBaseline(double factor, int windows) {
        return new Rule(occurrences, window, quiet, restartsBetween, factor, windows, minSpacing);
    }

    /** How far back an episode needs to remember occurrences. */
    public long memoryMillis() {
        return window.toMillis() * Math.max(1, baselineWindows + 1);
    }
}
