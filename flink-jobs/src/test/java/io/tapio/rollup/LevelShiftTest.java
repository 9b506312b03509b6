package io.tapio.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rule both detectors apply: beyond the threshold, lasting longer than a burst, certain for how often it is asked. */
class LevelShiftTest {
    private static final LevelShift EVERY_MINUTE = new LevelShift(0.10, 20, 2 * 10_080, 0.95);

    private static double[] noisy(Random random, int n, double level, double spread) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = level * Math.exp(spread * random.nextGaussian());
        }
        return values;
    }

    @Test
    void aRiseThatLastsIsARegressionWithItsLevelsChangeAndConfidence() {
        Random random = new Random(1);
        double[] baseline = noisy(random, 120, 100, 0.03);
        double[] recent = noisy(random, 60, 120, 0.03);

        LevelShift.Verdict verdict = EVERY_MINUTE.judge(recent, baseline);

        assertNotNull(verdict);
        assertEquals(100, verdict.baseline(), 2);
        assertEquals(120, verdict.current(), 2);
        assertEquals(0.20, verdict.change(), 0.03);
        assertTrue(verdict.confidence() > 0.999, "every recent minute is above every baseline one: " + verdict);
    }

    @Test
    void aBurstOfAnyHeightNoLongerThanTheBurstIsNone() {
        Random random = new Random(2);
        double[] baseline = noisy(random, 120, 100, 0.03);
        for (int start : new int[] {0, 17, 40}) {
            double[] recent = noisy(random, 60, 100, 0.03);
            for (int i = start; i < start + 20; i++) {
                recent[i] *= 10;
            }
            assertNull(EVERY_MINUTE.judge(recent, baseline), "a 20-minute burst from minute " + start);
        }
        double[] longer = noisy(random, 60, 100, 0.03);
        for (int i = 10; i < 60; i++) {
            longer[i] *= 1.2;
        }
        assertNotNull(EVERY_MINUTE.judge(longer, baseline), "a rise of 50 of the 60 minutes is one");
    }

    @Test
    void aRiseUnderTheThresholdIsNoneHoweverCertain() {
        Random random = new Random(3);
        assertNull(EVERY_MINUTE.judge(noisy(random, 60, 108, 0.01), noisy(random, 120, 100, 0.01)));
    }

    @Test
    void aRiseWithinTheMetricsOwnVariationIsNone() {
        Random random = new Random(4);
        // +20% on a metric that varies 40% from minute to minute: far from certain in an hour
        assertNull(EVERY_MINUTE.judge(noisy(random, 60, 120, 0.4), noisy(random, 120, 100, 0.4)));
    }

    @Test
    void theConfidenceIsCorrectedForHowOftenTheDetectorAsks() {
        Random random = new Random(5);
        double[] baseline = noisy(random, 120, 100, 0.25);
        double[] recent = noisy(random, 60, 130, 0.25);
        LevelShift.Verdict once = new LevelShift(0.10, 20, 1, 0.01).judge(recent, baseline);
        LevelShift.Verdict often = new LevelShift(0.10, 20, 100, 0.01).judge(recent, baseline);

        assertNotNull(once);
        assertNotNull(often);
        double chance = 1 - once.confidence();
        assertTrue(
                chance > 0.05 / (2 * 10_080) && chance < 1e-3,
                "certain for one judgement, but not for 20,160 a week: p = " + chance);
        assertEquals(1 - 100 * chance, often.confidence(), 1e-9, "100 judgements a week make it 100 times likelier");
        assertNull(EVERY_MINUTE.judge(recent, baseline), "judged every minute, that is no news");
    }

    @Test
    void tiedValuesAsAP99ReadFromBucketsHasAreHandled() {
        double[] baseline = new double[120];
        double[] recent = new double[60];
        for (int i = 0; i < baseline.length; i++) {
            baseline[i] = i % 3 == 0 ? 0.0048 : 0.0040; // two buckets
        }
        assertNull(EVERY_MINUTE.judge(baseline.clone(), baseline), "the same mix of buckets");
        for (int i = 0; i < recent.length; i++) {
            recent[i] = i % 3 == 0 ? 0.0057 : 0.0048; // one bucket up
        }
        LevelShift.Verdict up = EVERY_MINUTE.judge(recent, baseline);
        assertNotNull(up);
        assertEquals(0.19, up.change(), 0.01);
        double[] flat = new double[120];
        java.util.Arrays.fill(flat, 0.004);
        assertNull(EVERY_MINUTE.judge(flat.clone(), flat), "every value the same");
    }

    @Test
    void theNormalTailIsAccurateWhereTheBoundNeedsIt() {
        assertEquals(0.5, LevelShift.upperTail(0), 1e-7);
        assertEquals(0.025, LevelShift.upperTail(1.959964), 0.025 * 1e-6);
        assertEquals(1e-6, LevelShift.upperTail(4.753424), 1e-6 * 1e-5);
        assertEquals(2.866516e-7, LevelShift.upperTail(5), 2.866516e-7 * 1e-6);
        assertEquals(1 - 0.025, LevelShift.upperTail(-1.959964), 1e-7);
    }
}
