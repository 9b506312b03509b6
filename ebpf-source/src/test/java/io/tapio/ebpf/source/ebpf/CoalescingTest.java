package io.tapio.ebpf.source.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoalescingTest {
    @Test
    void aRingIsBusyFromTheRateThatBringsThreeRecordsInTheDelay() {
        Coalescing twoHundredMicros = Coalescing.of(Duration.ofNanos(200_000));

        assertEquals(15_000, twoHundredMicros.abovePerSecond(), 1e-6);
        assertFalse(twoHundredMicros.applies(10_000), "10,000/s: 2 records in 200 µs, each still wakes the reader");
        assertTrue(twoHundredMicros.applies(15_000));
        assertEquals(6_000, Coalescing.of(Duration.ofNanos(500_000)).abovePerSecond(), 1e-6);
    }

    @Test
    void noDelayIsNoCoalescing() {
        assertEquals(Coalescing.NONE, Coalescing.of(Duration.ZERO));
        assertFalse(Coalescing.NONE.applies(10_000_000));
    }

    @Test
    void aNegativeDelayIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Coalescing.of(Duration.ofNanos(-1)));
    }
}
