package io.tapio.ebpf.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How often a polling reader looks at the ring, as the rate of events changes. */
class PollIntervalTest {
    private static final long MIN = 50_000;
    private static final long MAX = 1_000_000;

    /** The ring's bytes after waiting {@code nanos} at {@code bytesPerSecond}. */
    private static long arrived(long nanos, long bytesPerSecond) {
        return nanos * bytesPerSecond / 1_000_000_000L;
    }

    private static long settle(PollInterval interval, long bytesPerSecond) {
        for (int look = 0; look < 100; look++) {
            interval.after(arrived(interval.nanos(), bytesPerSecond));
        }
        return interval.nanos();
    }

    @Test
    void aFewThousandEventsASecondAreLookedAtOnceAMillisecond() {
        PollInterval interval = PollInterval.from(Duration.ofNanos(MIN));
        // 5,000 events/s of 150 bytes: 750 bytes a millisecond, less than a batch at the longest interval
        assertEquals(MAX, settle(interval, 5_000 * 150));
    }

    @Test
    void aHighRateIsLookedAtOftenEnoughToFindABatchEachTime() {
        PollInterval interval = PollInterval.from(Duration.ofNanos(MIN));
        settle(interval, 5_000 * 150);
        for (long eventsPerSecond : new long[] {1_000_000, 100_000}) {
            long nanos = settle(interval, eventsPerSecond * 150);
            long found = arrived(nanos, eventsPerSecond * 150);
            assertTrue(
                    found >= PollInterval.DEFAULT_BATCH_BYTES / 2 && found <= 4 * PollInterval.DEFAULT_BATCH_BYTES,
                    eventsPerSecond + " events/s: each look finds " + found + " bytes, every " + nanos + " ns");
        }
        assertTrue(settle(interval, 1_000_000 * 150) < 2 * MIN, "1 M events/s: looks nearly as often as it may");
    }

    @Test
    void afterAQuietSpellTheFirstLookIsQuick() {
        PollInterval interval = PollInterval.from(Duration.ofNanos(MIN));
        settle(interval, 0);
        assertEquals(MAX, interval.nanos());
        interval.reset();
        assertEquals(MIN, interval.nanos());
    }

    @Test
    void boundsThatCannotHoldAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PollInterval(Duration.ZERO, Duration.ofMillis(1), 4096));
        assertThrows(
                IllegalArgumentException.class,
                () -> new PollInterval(Duration.ofMillis(2), Duration.ofMillis(1), 4096));
    }
}
