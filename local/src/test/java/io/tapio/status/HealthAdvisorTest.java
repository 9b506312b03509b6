package io.tapio.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.metrics.DropReason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule of the verdict on its own: the symptom it names, and that a healthy run is healthy. */
class HealthAdvisorTest {
    private static final TapioStatus.Latency FAST = new TapioStatus.Latency(10_000, 1e-4, 2e-4, 3e-4);
    private static final TapioStatus.Latency SLOW = new TapioStatus.Latency(10_000, 1e-3, 9e-3, 2e-2);

    /** The inputs of a healthy, running instance, each rule's test changes one. */
    private boolean running = true;

    private JobState job = JobState.FINE;
    private Map<String, Long> drops = Map.of();
    private double ringFill = 0.1;
    private TapioStatus.Latency latency = FAST;
    private Map<String, String> unavailable = Map.of();
    private Map<String, String> limited = Map.of();
    private List<TapioStatus.Finding> findings = List.of();
    private long sourceRestarts;

    private TapioStatus.Health assess() {
        return HealthAdvisor.assess(
                running, job, drops, ringFill, latency, unavailable, limited, findings, sourceRestarts);
    }

    /** The verdict is unhealthy, with one problem whose symptom contains {@code symptom}. */
    private void assertOneProblem(String symptom) {
        TapioStatus.Health health = assess();
        assertFalse(health.healthy(), health.toString());
        assertEquals(1, health.problems().size(), health.toString());
        assertTrue(health.problems().getFirst().symptom().contains(symptom), health.toString());
        assertFalse(health.problems().getFirst().hint().isBlank());
    }

    @Test
    void aRunningInstanceWithNothingWrongIsHealthy() {
        assertEquals(new TapioStatus.Health(true, List.of(), List.of()), assess());
    }

    @Test
    void notRunning() {
        running = false;
        assertOneProblem("Tapio is not running");
    }

    @Test
    void aFailedJobWithItsMessage() {
        job = JobState.failed("/tmp/x is not a Tapio capture");
        assertOneProblem("the job failed: /tmp/x is not a Tapio capture");
    }

    @Test
    void aJobThatRestartedWithinTheFailureInterval() {
        job = JobState.restarted(2);
        assertOneProblem("the job restarted after a failure 2 time(s) in the last 60 s");
    }

    @Test
    void ringBufferOverflow() {
        drops = Map.of(DropReason.RING_FULL.label(), 12L);
        assertOneProblem("the kernel dropped 12 events");
    }

    @Test
    void backpressureAboveHalfARing() {
        ringFill = 0.75;
        assertOneProblem("the ring is 75% full");
    }

    @Test
    void malformedRecords() {
        drops = Map.of(DropReason.MALFORMED.label(), 3L);
        assertOneProblem("3 malformed records");
    }

    @Test
    void slowP99OnlyWithEnoughSamples() {
        latency = SLOW;
        assertOneProblem("p99 latency 9.0 ms");
        latency = new TapioStatus.Latency(HealthAdvisor.LATENCY_MIN_SAMPLES - 1, 1e-3, 9e-3, 2e-2);
        assertTrue(assess().healthy(), "a handful of slow events on an idle node");
    }

    @Test
    void aKernelSourceRestart() {
        sourceRestarts = 1;
        assertOneProblem("the kernel source restarted");
    }

    @Test
    void aFindingOfSeverityWarningOrAboveIsUnhealthyButInfoIsNot() {
        findings = List.of(finding("info"));
        assertTrue(assess().healthy());
        findings = List.of(finding("critical"));
        TapioStatus.Health health = assess();
        assertFalse(health.healthy());
        assertEquals(List.of(), health.problems());
    }

    @Test
    void aMissingEventTypeIsANoteNotAProblem() {
        unavailable = Map.of("oom_kill", "no such tracepoint");
        assertEquals(
                new TapioStatus.Health(true, List.of(), List.of("no oom_kill events: no such tracepoint")), assess());
    }

    @Test
    void aTypeThisKernelProvidesWithLessIsANoteNotAProblem() {
        limited = Map.of("block_io_latency", "timed from block_rq_issue");
        assertEquals(
                new TapioStatus.Health(true, List.of(), List.of("block_io_latency events: timed from block_rq_issue")),
                assess());
    }

    static TapioStatus.Finding finding(String severity) {
        return new TapioStatus.Finding(
                "crash_loop",
                severity,
                "payments",
                "2026-12-02T20:00:00Z",
                "2026-12-02T20:06:00Z",
                4,
                "server in payments keeps failing (4 times in 6 min); each run met \"open of /etc/payments.yaml "
                        + "failed: ENOENT\" just before it ended",
                "Mount or create /etc/payments.yaml",
                "crash_loop:payments:server:1764705600000",
                "server",
                new TapioStatus.Cause("missing_file", "/etc/payments.yaml"));
    }
}
