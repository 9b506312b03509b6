package io.tapio.status;

import io.tapio.ebpf.metrics.DropReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a status into a verdict: each symptom of the performance playbook that shows, with
 * the hint that fixes it.
 */
final class HealthAdvisor {
    /**
     * When p99 latency, kernel to end of job, is a problem: the performance guide's HighLatency
     * alert (5 ms). Its design target, 500 µs at 100k events/s, is what the benchmark measures.
     */
    static final double P99_PROBLEM_SECONDS = 5e-3;

    static final double RING_FILL_WARNING = 0.5;
    /** Fewer events than this say nothing about a p99: a handful of slow ones on an idle node is no problem. */
    static final long LATENCY_MIN_SAMPLES = 1_000;

    static final List<String> QUIET_SEVERITIES = List.of("info");
    static final TapioStatus.Problem NOT_RUNNING =
            new TapioStatus.Problem("Tapio is not running (this is what its last run left)", "start it: ./tapio run");

    private HealthAdvisor() {}

    static TapioStatus.Health assess(
            boolean running,
            JobState job,
            Map<String, Long> dropsInInterval,
            double ringFillRatio,
            TapioStatus.Latency latency,
            Map<String, String> unavailable,
            Map<String, String> limited,
            List<TapioStatus.Finding> findings,
            long restartsInInterval) {
        List<TapioStatus.Problem> problems = new ArrayList<>();
        if (!running) {
            problems.add(NOT_RUNNING);
        }
        if (job.failure() != null) {
            problems.add(new TapioStatus.Problem(
                    "the job failed: " + job.failure(),
                    "fix what the message says and start it again; the whole trace is in .tapio/tapio.log"));
        }
        if (job.restarts() > 0) {
            problems.add(new TapioStatus.Problem(
                    "the job restarted after a failure " + job.restarts() + " time(s) in the last "
                            + JobState.FAILURE_INTERVAL.toSeconds() + " s, and processes nothing while it restarts",
                    "look at the job's exceptions in the web UI or in .tapio/tapio.log; it gives up after "
                            + JobState.MAX_FAILURES + " failures within " + JobState.FAILURE_INTERVAL.toSeconds()
                            + " s"));
        }
        long ringFull = dropsInInterval.getOrDefault(DropReason.RING_FULL.label(), 0L);
        if (ringFull > 0) {
            problems.add(new TapioStatus.Problem(
                    "ring-buffer overflow: the kernel dropped " + ringFull + " events because the ring was full",
                    "give the ring more room (--ring-mib) or filter more in the kernel (thresholds, ignored comms, "
                            + "cgroups and path prefixes)"));
        }
        if (ringFillRatio > RING_FILL_WARNING) {
            problems.add(new TapioStatus.Problem(
                    String.format(
                            "backpressure: the ring is %.0f%% full, the job is " + "not keeping up with the kernel",
                            100 * ringFillRatio),
                    "find the slow operator in the web UI (back pressure, flame graphs), raise its parallelism, "
                            + "or filter more in the kernel"));
        }
        long malformed = dropsInInterval.getOrDefault(DropReason.MALFORMED.label(), 0L);
        if (malformed > 0) {
            problems.add(new TapioStatus.Problem(
                    malformed + " malformed records from the kernel",
                    "the BPF object and the Java decoder disagree: rebuild both from the same version"));
        }
        if (latency.samples() >= LATENCY_MIN_SAMPLES && latency.p99() > P99_PROBLEM_SECONDS) {
            problems.add(new TapioStatus.Problem(
                    String.format("p99 latency %.1f ms, over %.0f ms", latency.p99() * 1e3, P99_PROBLEM_SECONDS * 1e3),
                    "record a profile (./tapio run --profile FILE) and look for GC pauses, a hot decoder, or "
                            + "back pressure"));
        }
        if (restartsInInterval > 0) {
            problems.add(new TapioStatus.Problem(
                    "the kernel source restarted; kernel events are not replayed, so "
                            + "the time around the restart is missing",
                    "look at the job's exceptions in the web UI"));
        }
        List<String> notes = new ArrayList<>();
        unavailable.forEach((type, why) -> notes.add("no " + type + " events: " + why));
        limited.forEach((type, what) -> notes.add(type + " events: " + what));
        boolean alarming = findings.stream().anyMatch(f -> !QUIET_SEVERITIES.contains(f.severity()));
        return new TapioStatus.Health(problems.isEmpty() && !alarming, problems, notes);
    }
}
