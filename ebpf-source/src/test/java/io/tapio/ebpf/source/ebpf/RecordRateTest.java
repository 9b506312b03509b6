package io.tapio.ebpf.source.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecordRateTest {
    private static final long MS = 1_000_000;

    @Test
    void theRateIsTheLastWholeWindows() {
        RecordRate rate = new RecordRate(0, 500);

        assertEquals(0, rate.update(5 * MS, 900), "no window has ended yet");
        assertEquals(100_000, rate.update(10 * MS, 1_500), 1e-6, "1,000 records in 10 ms");
        assertEquals(100_000, rate.update(15 * MS, 1_510), 1e-6, "held until the next window ends");
        assertEquals(1_000, rate.update(20 * MS, 1_510), 1e-6, "10 records in the 10 ms since");
    }

    @Test
    void aQuietSpellIsOneLongWindow() {
        RecordRate rate = new RecordRate(0, 0);
        rate.update(10 * MS, 1_000);

        assertEquals(1, rate.update(2_010 * MS, 1_002), 1e-6, "2 records in 2 s");
    }
}
