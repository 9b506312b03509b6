package io.tapio.correlate;

import static io.tapio.correlate.CorrelatorHarness.harness;
import static io.tapio.correlate.CorrelatorHarness.runMails;
import static io.tapio.correlate.CorrelatorHarness.workload;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.ebpf.abi.HandOverBuffer;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.synthetic.DemoFaults;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The correlator on lent events, as the eBPF source hands them over (their records in one
 * buffer, written over by the next hand-over), in Flink's keyed operator harness whose mailbox
 * stands for the task's: it reports exactly what it reports on the same events with records of
 * their own, evidence and causes included, and a checkpoint taken after a hand-over ended holds
 * none of its events (the heap backend writes its state then, and a lent event would refuse).
 */
class LentEventsTest {
    /** The synthetic source's virtual clock starts here. */
    private static final long START_NS = 1_000_000_000L;
    /** The demo's faults on a busy node: causes (a missing file, refused connects), crash loops, OOM kills. */
    private static final SyntheticConfig CONFIG = BusyNode.with(
            11,
            DemoFaults.named("oom-loop"),
            DemoFaults.named("crash-loop"),
            DemoFaults.named("refused-connections"),
            DemoFaults.named("missing-file"));
    /** Records per hand-over: not a divisor of anything, so hand-overs cut through every run of events. */
    private static final int HAND_OVER = 97;
    /** The source's watermark, every this many hand-overs; a watermark's timers run before the hand-over's mail. */
    private static final int WATERMARK_EVERY = 10;

    private static List<KernelEvent> events;

    @BeforeAll
    static void generate() {
        events = new SyntheticEventGenerator(CONFIG, START_NS).next(START_NS + 120_000_000_000L);
    }

    @Test
    void lentEventsMakeTheFindingsTheSameEventsOwnedMake() throws Exception {
        List<Finding> owned = findings(false);
        List<Finding> lent = findings(true);

        assertThat(owned)
                .extracting(Finding::pattern)
                .as("the faults' findings, evidence and causes included")
                .contains("crash_loop", "oom_crash_loop", "dependency_unreachable");
        assertThat(owned).anyMatch(f -> f.cause() != null && f.cause().subject().equals("/etc/config/app.yaml"));
        assertThat(lent)
                .map(LentEventsTest::withoutClock)
                .isEqualTo(owned.stream().map(LentEventsTest::withoutClock).toList());
    }

    /**
     * The findings of the correlator on the events in hand-overs of {@link #HAND_OVER}: lent from
     * one reused buffer, or each with its record; a checkpoint after the first third.
     */
    private static List<Finding> findings(boolean lend) throws Exception {
        HandOverBuffer buffer = new HandOverBuffer();
        try (var harness = harness(new Correlator(CorrelationConfig.defaults(), false))) {
            harness.open();
            boolean checkpointed = false;
            long lastMillis = 0;
            for (int from = 0, handOvers = 1; from < events.size(); from += HAND_OVER, handOvers++) {
                buffer.next(); // the source's next poll: the last hand-over's events are no longer to be read
                if (!checkpointed && from >= events.size() / 3) {
                    harness.prepareSnapshotPreBarrier(1);
                    harness.snapshot(1, lastMillis); // writes every state value: a lent event left in it would refuse
                    checkpointed = true;
                }
                for (KernelEvent event : events.subList(from, Math.min(from + HAND_OVER, events.size()))) {
                    KernelEvent handed = lend ? lent(buffer, event) : event;
                    lastMillis = event.timestampNs() / 1_000_000;
                    harness.processElement(new EnrichedEvent(handed, workload(event.cgroupId())), lastMillis);
                }
                if (handOvers % WATERMARK_EVERY == 0) {
                    harness.processWatermark(new Watermark(lastMillis - 200));
                }
                runMails(harness);
            }
            buffer.next();
            harness.processWatermark(new Watermark(Long.MAX_VALUE));
            harness.endInput();
            return harness.extractOutputValues();
        }
    }

    private static KernelEvent lent(HandOverBuffer buffer, KernelEvent event) {
        return buffer.copy(MemorySegment.ofArray(event.toByteArray()), 0, event.size());
    }

    /** A finding without the wall-clock time it was reported at. */
    private static Finding withoutClock(Finding f) {
        return new Finding(
                f.episodeId(),
                f.status(),
                f.pattern(),
                f.severity(),
                f.workload(),
                f.subject(),
                f.firstSeenEpochMillis(),
                f.lastSeenEpochMillis(),
                f.count(),
                f.summary(),
                f.recommendation(),
                f.evidence(),
                0,
                0,
                f.cause());
    }
}
