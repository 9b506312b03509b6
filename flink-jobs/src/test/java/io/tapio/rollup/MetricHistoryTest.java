package io.tapio.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The streaming detector's memory of one metric: which windows it judges against which
 * baseline, when it starts judging, the daily climb it carries forward, and the new level it
 * keeps after a regression.
 */
class MetricHistoryTest {
    private static final RegressionConfig CONFIG = RegressionConfig.defaults();

    /** Feeds {@code minutes} values of {@code level(minute)} with a 2% wobble; returns the minutes that regressed. */
    private static List<MetricHistory.Verdict> feed(
            MetricHistory history, int from, int minutes, IntToDoubleFunction level) {
        Random random = new Random(from);
        List<MetricHistory.Verdict> found = new ArrayList<>();
        for (int m = from; m < from + minutes; m++) {
            double value = level.applyAsDouble(m) * (1 + 0.02 * random.nextGaussian());
            MetricHistory.Verdict verdict = history.observe(value, 100, m * 60_000L, CONFIG);
            if (verdict != null) {
                found.add(verdict);
            }
        }
        return found;
    }

    @Test
    void aLastingRiseIsReportedOnceWithinItsShortestWindowAndTheNewLevelIsTheBaselineAfter() {
        MetricHistory history = new MetricHistory();
        assertTrue(feed(history, 0, 150, m -> 100).isEmpty());

        List<MetricHistory.Verdict> found = feed(history, 150, 120, m -> 130);

        assertEquals(1, found.size(), found.toString());
        MetricHistory.Verdict verdict = found.getFirst();
        assertEquals(30, verdict.windows(), "found in the shortest window");
        long foundAfter = verdict.windowStartEpochMillis() / 60_000 + verdict.windows() - 150;
        assertTrue(
                foundAfter > CONFIG.burstWindows() && foundAfter <= 30 + CONFIG.judgeEvery(),
                "found when the rise has lasted longer than a burst and at most the window: " + foundAfter);
        assertEquals(100, verdict.baseline(), 1.5);
        assertEquals(130, verdict.current(), 1.5);
        assertEquals(0.30, verdict.change(), 0.03);
        assertTrue(verdict.confidence() > 0.99, verdict.toString());
        assertEquals(30 * 100, verdict.samples(), "the events behind the window's minutes");

        assertEquals(1, feed(history, 270, 120, m -> 160).size(), "a further rise over the new level is another");
    }

    @Test
    void nothingIsJudgedBeforeTheBaselineHasItsMinutes() {
        MetricHistory history = new MetricHistory();
        int enough = CONFIG.minBaselineWindows() + CONFIG.shortestWindow();
        assertTrue(feed(history, 0, enough - 1, m -> m < CONFIG.minBaselineWindows() ? 1 : 1_000)
                .isEmpty());
        assertEquals(1, feed(history, enough - 1, 1, m -> 1_000).size(), "judged from the first minute it can be");
    }

    @Test
    void aBurstOfTwentyMinutesAtThreeTimesIsNoRegression() {
        MetricHistory history = new MetricHistory();
        assertTrue(feed(history, 0, 600, m -> m >= 200 && m < 220 || m >= 400 && m < 420 ? 300 : 100)
                .isEmpty());
    }

    @Test
    void aDailyClimbIsCarriedForwardNotTakenForAStep() {
        // the steepest climb of a daily cycle of +-30%: 8% an hour, on a metric quiet enough
        // that a 10% step would be certain within half an hour
        MetricHistory history = new MetricHistory();
        IntToDoubleFunction daily = m -> 100 * (1 + 0.3 * Math.sin(2 * Math.PI * m / 1440));
        assertTrue(feed(history, -360, 720, daily).isEmpty());
        // the same series with a step of 15% at the top of the climb is found
        MetricHistory stepped = new MetricHistory();
        List<MetricHistory.Verdict> found = feed(stepped, -360, 720, m -> daily.applyAsDouble(m) * (m >= 0 ? 1.15 : 1));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.getFirst().windowStartEpochMillis() >= 0, found.toString());
    }
}
