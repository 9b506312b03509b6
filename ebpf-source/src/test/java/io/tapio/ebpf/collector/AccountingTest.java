package io.tapio.ebpf.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.Reason;
import io.tapio.testing.FailedOpenLoad;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No silent drops: every failed open is either delivered or counted as lost, exactly, even
 * when the ring overflows.
 */
class AccountingTest {
    private static final int OPENS = 5_000;

    @Test
    void everyEventIsDeliveredOrCountedAsLostWhenTheRingOverflows() {
        try (FailedOpenLoad load = new FailedOpenLoad();
                KernelCollector collector = KernelCollector.open(CollectorConfig.builder()
                        .ringBufferBytes(64 << 10) // room for about 200 records
                        .enabledTypes(List.of(EventType.OPEN_FAILED))
                        .pathRules(List.of(PathRule.report(load.pathPrefix())))
                        .reportUnmatchedOpens(false)
                        .build())) {
            KernelStats before = collector.kernelStats();

            load.run(OPENS); // nobody reads meanwhile: the ring overflows
            long[] read = {0};
            while (collector
                            .reader()
                            .drain(
                                    (ring, offset, length) -> {
                                        KernelEvent event = KernelEvent.copyOf(ring, offset, length);
                                        assertTrue(event.payload(OpenFailed.class)
                                                .path()
                                                .startsWith(load.pathPrefix()));
                                        read[0]++;
                                    },
                                    Integer.MAX_VALUE)
                    > 0) {
                // until empty
            }

            KernelStats delta = collector.kernelStats().since(before);
            long emitted = delta.emitted(EventType.OPEN_FAILED);
            long lost = delta.count(EventType.OPEN_FAILED, Reason.RING_FULL);
            assertTrue(lost > 0, "the ring overflowed");
            assertEquals(OPENS, emitted + lost, "every open delivered or counted as lost");
            assertEquals(emitted, read[0], "every delivered record read");
            assertEquals(0, collector.reader().stats().malformedTotal());
        }
    }
}
