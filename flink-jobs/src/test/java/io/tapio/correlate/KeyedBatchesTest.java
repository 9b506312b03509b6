package io.tapio.correlate;

import static io.tapio.correlate.CorrelatorHarness.event;
import static io.tapio.correlate.CorrelatorHarness.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.model.EnrichedEvent;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The batch size follows how close a key's events come: a key whose events come back to back
 * batches (a batch of one counting from the key's previous event), one whose events come
 * farther apart than the latency target gets batches of one again.
 */
class KeyedBatchesTest {
    private static final Duration TARGET = Duration.ofNanos(100_000);
    private static final EnrichedEvent EVENT = event(1, 1_764_000_000_000L, new RunqLatency(50_000_000L));

    @Test
    void aKeyWhoseEventsComeBackToBackBatchesAndOneWhoseEventsComeFartherApartThanTheTargetDoesNot() {
        KeyedBatches batches = new KeyedBatches(new AdaptiveBatchSize.Settings(1, 256, TARGET, 0.5));
        assertThat(batches.size().size()).isEqualTo(1);
        for (int i = 0; i < 2_000; i++) {
            add(batches);
        }
        assertThat(batches.size().size())
                .as("after 2,000 events back to back, from batches of one")
                .isGreaterThan(1);

        int spaced = 0;
        while (batches.size().size() > 1 && spaced < 1_000) {
            LockSupport.parkNanos(2 * TARGET.toNanos());
            add(batches);
            spaced++;
        }
        assertThat(batches.size().size())
                .as("after %d events twice the target apart", spaced)
                .isEqualTo(1);
    }

    private static void add(KeyedBatches batches) {
        Batch full = batches.add(key(1), EVENT.event().timestampNs() / 1_000_000, EVENT);
        if (full != null) {
            batches.recycle(full);
        }
    }
}
