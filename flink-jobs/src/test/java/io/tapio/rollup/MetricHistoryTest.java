package io.tapio.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** When a metric's windows make a regression: threshold, persistence, confidence, sample size. */
class MetricHistoryTest {
    private static final RegressionConfig CONFIG = RegressionConfig.defaults();

    private static MetricHistory withBaseline(Random random, double mean, double spread, int windows) {
        MetricHistory history = new MetricHistory();
        for (int i = 0; i < windows; i++) {
            assertNull(history.observe(mean + spread * random.nextGaussian(), 100, CONFIG));
        }
        return history;
    }

    @Test
    void aLastingIncreaseBeyondTheThresholdIsReportedOnceAfterItPersists() {
        MetricHistory history = withBaseline(new Random(1), 100, 3, 20);

        assertNull(history.observe(150, 100, CONFIG), "one window is not enough");
        assertNull(history.observe(152, 100, CONFIG), "two are not either");
        MetricHistory.Verdict verdict = history.observe(148, 100, CONFIG);

        assertNotNull(verdict);
        assertEquals(100, verdict.baseline(), 3);
        assertEquals(150, verdict.current(), 0.01);
        assertEquals(0.5, verdict.change(), 0.05);
        assertTrue(verdict.confidence() > 0.99);
        assertEquals(3, verdict.windows());
        assertNull(history.observe(151, 100, CONFIG), "reported once per episode");
    }

    @Test
    void anIncreaseUnderTheThresholdIsNoRegression() {
        MetricHistory history = withBaseline(new Random(2), 100, 1, 20);
        for (int i = 0; i < 10; i++) {
            assertNull(history.observe(108, 100, CONFIG));
        }
    }

    @Test
    void aNoisyMetricMustRiseBeyondItsOwnVariation() {
        MetricHistory history = withBaseline(new Random(3), 100, 40, 30);
        // +15% is over the threshold but well within this metric's usual swings
        assertNull(history.observe(115, 100, CONFIG));
        assertNull(history.observe(115, 100, CONFIG));
        assertNull(history.observe(115, 100, CONFIG));
    }

    @Test
    void anIncreaseThatEndsStartsOver() {
        MetricHistory history = withBaseline(new Random(4), 100, 2, 20);
        assertNull(history.observe(150, 100, CONFIG));
        assertNull(history.observe(150, 100, CONFIG));
        assertNull(history.observe(100, 100, CONFIG), "back to normal before the third window");
        assertNull(history.observe(150, 100, CONFIG));
        assertNull(history.observe(150, 100, CONFIG));
        assertNotNull(history.observe(150, 100, CONFIG));
    }

    @Test
    void nothingIsJudgedBeforeTheBaselineHasEnoughWindows() {
        MetricHistory history = new MetricHistory();
        for (int i = 0; i < CONFIG.minBaselineWindows(); i++) {
            assertNull(history.observe(i == 0 ? 1 : 1_000, 100, CONFIG));
        }
    }
}
