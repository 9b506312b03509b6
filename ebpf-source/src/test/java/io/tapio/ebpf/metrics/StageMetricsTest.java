package io.tapio.ebpf.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.RunqLatency;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Which events the stages measure: every stage must measure the same events, so that the
 * latency budget compares the stages on one population, and about one in eight of them.
 */
class StageMetricsTest {
    @Test
    void aboutOneEventInEightIsMeasuredWhateverItsType() {
        SplittableRandom random = new SplittableRandom(7);
        long timestamp = 1_000_000_000L;
        int sampled = 0;
        int events = 80_000;
        for (int i = 0; i < events; i++) {
            timestamp += 1 + random.nextInt(20_000); // a busy node: tens of thousands of events a second
            KernelEvent event = i % 2 == 0
                    ? KernelEvent.of(subject(timestamp), new Exec(1, "/bin/true"))
                    : KernelEvent.of(subject(timestamp), new RunqLatency(12_000_000L));
            if (StageMetrics.sampled(event)) {
                sampled++;
            }
        }
        double share = (double) sampled / events;
        assertTrue(share > 0.115 && share < 0.135, "one in eight, not " + share);
    }

    @Test
    void theSameEventIsMeasuredAtEveryStageAlsoAfterItWasSerialized() {
        SplittableRandom random = new SplittableRandom(11);
        long timestamp = 5_000_000_000L;
        for (int i = 0; i < 10_000; i++) {
            timestamp += 1 + random.nextInt(1_000_000);
            KernelEvent event = KernelEvent.of(subject(timestamp), new Exec(1, "/bin/true"));
            KernelEvent copy = KernelEvent.of(event.toByteArray()); // as a network exchange or Kafka hands it on
            assertEquals(StageMetrics.sampled(event), StageMetrics.sampled(copy));
        }
    }

    private static EventSubject subject(long timestamp) {
        return new EventSubject(timestamp, 0, 4242, 4242, 77L, "worker");
    }
}
