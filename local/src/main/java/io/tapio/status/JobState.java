package io.tapio.status;

import java.time.Duration;

/**
 * What the streaming job itself is doing, beside what flows through it: a job that restarts
 * or has failed processes nothing, which on its own would read as a quiet "0 events/s".
 *
 * @param restarts how many times Flink restarted the job after a failure within the last
 *     {@link #FAILURE_INTERVAL}
 * @param failure the message of the exception that stopped the job for good; null while it runs
 */
public record JobState(int restarts, String failure) {
    /**
     * A local run restarts a failing job at most this many times within {@link
     * #FAILURE_INTERVAL}, then gives up: a failure that repeats (a bad file, a missing
     * privilege) ends the run with its message instead of a restart loop.
     */
    public static final int MAX_FAILURES = 3;

    public static final Duration FAILURE_INTERVAL = Duration.ofMinutes(1);
    public static final Duration RESTART_DELAY = Duration.ofSeconds(1);
    public static final JobState FINE = new JobState(0, null);

    public static JobState restarted(int times) {
        return new JobState(times, null);
    }

    public static JobState failed(String message) {
        return new JobState(0, message);
    }
}
