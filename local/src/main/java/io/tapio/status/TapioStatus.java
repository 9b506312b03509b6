package io.tapio.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The state of a local Tapio, as {@code tapio check} shows it and as {@code tapio check
 * --json} prints it. The JSON field names are a stable interface (README, "tapio check"):
 * fields may be added, never renamed or removed, within a {@link #version}.
 *
 * @param version the format of this document; 1
 * @param running whether the instance was running when this was taken
 * @param source where its events come from: {@code ebpf}, {@code synthetic}, {@code replay:FILE}
 * @param startedAt ISO-8601 instant the run started
 * @param updatedAt ISO-8601 instant this was taken
 * @param eventsProcessed events that entered the job since it started
 * @param eventsPerSecond over the last sampling interval, in total and by event type
 * @param latency from the kernel's timestamp to the end of the job, over the last interval
 * @param kernel what the kernel programs saw and what became of it, since the start
 * @param drops events lost before the job, by reason, since the start
 * @param ringFillRatio how full the kernel ring buffer is, 0 to 1 (eBPF source only)
 * @param unavailable event types this kernel cannot provide, with why
 * @param findings the latest findings, newest first
 * @param health the verdict, with a hint for every problem
 */
public record TapioStatus(
        int version,
        boolean running,
        String source,
        String node,
        String startedAt,
        String updatedAt,
        long eventsProcessed,
        Rates eventsPerSecond,
        Latency latency,
        Kernel kernel,
        Map<String, Long> drops,
        double ringFillRatio,
        Map<String, String> unavailable,
        List<Finding> findings,
        Health health) {
    public static final int VERSION = 1;

    /** Events per second: the total and each type's share. */
    public record Rates(double total, Map<String, Double> byType) {}

    /**
     * Latency quantiles in seconds over {@code samples} events; null when nothing was
     * measured in the interval.
     */
    public record Latency(long samples, Double p50, Double p99, Double p999) {}

    /**
     * @param candidates every event the programs considered
     * @param delivered written to the ring
     * @param filtered dropped by a filter rule in the kernel (the point of the filters)
     * @param lost could not be written: the ring was full
     */
    public record Kernel(long candidates, long delivered, long filtered, long lost) {
        /** Of everything the programs saw, the share that never left the kernel by design. */
        @JsonProperty("filteredRatio")
        public double filteredRatio() {
            return candidates == 0 ? 0 : (double) filtered / candidates;
        }
    }

    /**
     * A finding as the status lists it: the latest report of its episode.
     *
     * @param episodeId the episode's id in the history's {@code findings.episode_id}
     * @param subject what in the workload it is about (a program, a path, a destination)
     * @param cause what its failures met just before they ended, or null
     */
    public record Finding(
            String pattern,
            String severity,
            String workload,
            String firstSeen,
            String lastSeen,
            long count,
            String summary,
            String recommendation,
            String episodeId,
            String subject,
            Cause cause) {}

    /** What explains an incident's failures: the pattern that reports such a cause, and its path or destination. */
    public record Cause(String pattern, String subject) {}

    /**
     * The verdict: healthy when there is no problem and no finding of severity warning or
     * above. Notes are worth knowing but not wrong (an event type this kernel lacks).
     */
    public record Health(boolean healthy, List<Problem> problems, List<String> notes) {}

    /** Something wrong, and what to do about it (the performance playbook's hint). */
    public record Problem(String symptom, String hint) {}

    /** The same status listing only {@code kept} of its findings, with the verdict redone for them. */
    public TapioStatus withFindings(List<Finding> kept) {
        boolean alarming = kept.stream().anyMatch(f -> !HealthAdvisor.QUIET_SEVERITIES.contains(f.severity()));
        return with(
                running, kept, new Health(health.problems().isEmpty() && !alarming, health.problems(), health.notes()));
    }

    /** The same status with {@code first} before its notes. */
    public TapioStatus withNotes(List<String> first) {
        List<String> notes = new java.util.ArrayList<>(first);
        notes.addAll(health.notes());
        return with(running, findings, new Health(health.healthy(), health.problems(), notes));
    }

    /** The status of an instance that no longer runs, whatever it said when it last wrote it. */
    public TapioStatus stopped() {
        List<Problem> problems = new java.util.ArrayList<>(health.problems());
        if (!problems.contains(HealthAdvisor.NOT_RUNNING)) {
            problems.addFirst(HealthAdvisor.NOT_RUNNING);
        }
        return with(false, findings, new Health(false, problems, health.notes()));
    }

    private TapioStatus with(boolean running, List<Finding> findings, Health health) {
        return new TapioStatus(
                version,
                running,
                source,
                node,
                startedAt,
                updatedAt,
                eventsProcessed,
                eventsPerSecond,
                latency,
                kernel,
                drops,
                ringFillRatio,
                unavailable,
                findings,
                health);
    }
}
