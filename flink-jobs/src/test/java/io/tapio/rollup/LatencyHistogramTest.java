package io.tapio.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A p99 read from log-scale buckets: close to the latencies' own, and moving with them rather than by buckets. */
class LatencyHistogramTest {
    private static LatencyHistogram lognormal(long seed, double medianNanos, double spread, int n) {
        Random random = new Random(seed);
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < n; i++) {
            h.record((long) (medianNanos * Math.exp(spread * random.nextGaussian())));
        }
        return h;
    }

    @Test
    void theP99IsWithinAFewPercentOfTheLatenciesOwn() {
        double p99 = 2e-3 * Math.exp(0.5 * 2.326348);
        assertEquals(p99, lognormal(1, 2e6, 0.5, 100_000).quantileSeconds(0.99), p99 * 0.03);
    }

    @Test
    void latenciesFivePercentLongerGiveAP99FivePercentHigherNotABucketHigherOrTheSame() {
        for (double median = 2e6; median < 2e6 * 1.19; median *= 1.04) {
            double before = lognormal(2, median, 0.3, 100_000).quantileSeconds(0.99);
            double after = lognormal(2, median * 1.05, 0.3, 100_000).quantileSeconds(0.99);
            assertEquals(0.05, after / before - 1, 0.03, "from a median of " + median + " ns");
        }
    }

    @Test
    void anEmptyHistogramHasNoQuantileAndOneLatencyIsItsOwnP99() {
        assertEquals(0, new LatencyHistogram().quantileSeconds(0.99));
        LatencyHistogram one = new LatencyHistogram();
        one.record(5_000_000);
        assertEquals(5e-3, one.quantileSeconds(0.99), 5e-3 * 0.19);
    }
}
