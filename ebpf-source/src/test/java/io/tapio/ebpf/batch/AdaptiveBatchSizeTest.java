package io.tapio.ebpf.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The keyed batch's sizing: batching adds no more than the latency target. */
class AdaptiveBatchSizeTest {
    private static final long TARGET_NANOS = 100_000;

    private static AdaptiveBatchSize batches() {
        return new AdaptiveBatchSize(new AdaptiveBatchSize.Settings(1, 256, Duration.ofNanos(TARGET_NANOS), 0.5));
    }

    @Test
    void recordsFurtherApartThanHalfTheTargetAreNotBatched() {
        AdaptiveBatchSize size = batches();
        for (int i = 0; i < 100; i++) {
            size.filled(TARGET_NANOS); // 10,000 a second, one batch of one each
        }
        assertEquals(1, size.size());
    }

    @Test
    void closeRecordsGrowTheBatchUntilItTakesMoreThanHalfTheTargetToFill() {
        AdaptiveBatchSize size = batches();
        long gapNanos = 5_000; // 200,000 a second
        for (int i = 0; i < 100; i++) {
            size.filled(gapNanos * size.size());
        }
        assertEquals(16, size.size(), "16 records fill in 80 µs; 32 would take 160 µs, over the target");
    }

    @Test
    void aBatchThatTookLongerThanTheTargetToFillIsHalved() {
        AdaptiveBatchSize size = batches();
        for (int i = 0; i < 5; i++) {
            size.filled(1_000); // a burst: 32
        }
        assertEquals(32, size.size());

        size.filled(8 * TARGET_NANOS); // the burst ended: the next batch filled slowly
        assertEquals(16, size.size());
    }
}
