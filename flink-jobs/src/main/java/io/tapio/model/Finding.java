package io.tapio.model;

import io.tapio.ebpf.abi.KernelEvent;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * What Tapio tells a person: one episode of a pattern in one workload, with its evidence and
 * what to do. An episode is reported when it opens, updated while it lasts, and closed when
 * it ends; {@link #episodeId} ties the reports of one episode together.
 *
 * @param episodeId stable for the episode: pattern, workload key, subject and first time
 * @param status OPEN when first reported, UPDATE while it lasts, RESOLVED when over
 * @param pattern which pattern found it ({@code oom_crash_loop}, ...)
 * @param subject what in the workload it is about, beyond the workload (a destination, a
 *     path, a sender); "" when the workload is the whole subject
 * @param firstSeenEpochMillis the first event of the episode, wall clock
 * @param lastSeenEpochMillis the latest event of the episode, wall clock
 * @param count events in the episode so far
 * @param summary one sentence a person can act on
 * @param recommendation what to do
 * @param evidence the events that triggered it, most recent last (bounded)
 * @param detectedEpochMillis when this report was made, wall clock
 * @param latencyNanos from the kernel's timestamp of the event that completed this report to
 *     the report (the pipeline's detection latency)
 * @param cause what the failures of the episode met just before they ended, or null when nothing
 *     explains them
 */
public record Finding(
        String episodeId,
        Status status,
        String pattern,
        Severity severity,
        Workload workload,
        String subject,
        long firstSeenEpochMillis,
        long lastSeenEpochMillis,
        long count,
        String summary,
        String recommendation,
        List<Evidence> evidence,
        long detectedEpochMillis,
        long latencyNanos,
        Cause cause)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    /** Where an episode stands. */
    public enum Status {
        OPEN,
        UPDATE,
        RESOLVED
    }

    public Finding {
        evidence = List.copyOf(evidence);
    }

    /**
     * What explains an incident's failures, as far as the kernel tells: the last failed open
     * or connect of each failing run.
     *
     * @param pattern the pattern that reports such a cause when it lasts on its own: {@code
     *     missing_file}, {@code permission_denied}, {@code dependency_unreachable}
     * @param subject the path or destination
     * @param description the event, as a person reads it
     */
    public record Cause(String pattern, String subject, String description) implements Serializable {}

    /**
     * One event behind a finding, as a person reads it.
     *
     * @param description e.g. "exit status 1 after 2.1 s", "connect to 10.0.0.7:5432 refused"
     */
    public record Evidence(long epochMillis, String type, int pid, String comm, String description)
            implements Serializable {
        /** The event at {@code epochMillis} (wall clock), described by {@link EventText}. */
        public static Evidence of(KernelEvent event, long epochMillis) {
            return new Evidence(
                    epochMillis, event.type().label(), event.pid(), event.comm(), EventText.describe(event.payload()));
        }
    }
}
