package io.tapio.ebpf.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReplayPacingTest {
    private static final long FIRST = 10_000_000_000L;
    private static final long START = 777_000_000L;

    private final ReplayPacing recorded = ReplayPacing.atSpeed(1, FIRST, START);

    @Test
    void theFirstEventIsDueAtTheStart() {
        assertEquals(0, recorded.delayNanos(FIRST, START));
    }

    @Test
    void laterEventsWaitForTheirRecordedGap() {
        assertEquals(2_000_000, recorded.delayNanos(FIRST + 2_000_000, START));
        assertEquals(500_000, recorded.delayNanos(FIRST + 2_000_000, START + 1_500_000));
        assertEquals(0, recorded.delayNanos(FIRST + 2_000_000, START + 2_000_000));
    }

    @Test
    void lateOrEarlierEventsAreDueAtOnce() {
        assertEquals(0, recorded.delayNanos(FIRST + 2_000_000, START + 9_000_000));
        assertEquals(0, recorded.delayNanos(FIRST - 1_000, START));
    }

    @Test
    void aFasterReplayDividesTheGaps() {
        ReplayPacing sixtyTimes = ReplayPacing.atSpeed(60, FIRST, START);
        assertEquals(1_000_000_000, sixtyTimes.delayNanos(FIRST + 60_000_000_000L, START));
        assertEquals(0, sixtyTimes.delayNanos(FIRST + 60_000_000_000L, START + 1_000_000_000));
        assertEquals(4_000_000, ReplayPacing.atSpeed(0.5, FIRST, START).delayNanos(FIRST + 2_000_000, START));
    }

    @Test
    void aSpeedThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReplayPacing.atSpeed(0, FIRST, START));
        assertThrows(IllegalArgumentException.class, () -> ReplayPacing.atSpeed(Double.NaN, FIRST, START));
    }

    @Test
    void asFastAsPossibleNeverWaits() {
        ReplayPacing fast = ReplayPacing.asFastAsPossible();
        assertEquals(0, fast.delayNanos(FIRST + 60_000_000_000L, START));
        assertEquals(0, fast.delayNanos(Long.MAX_VALUE, Long.MIN_VALUE));
    }
}
