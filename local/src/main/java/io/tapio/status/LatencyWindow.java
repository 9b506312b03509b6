package io.tapio.status;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.concurrent.TimeUnit;

/**
 * Latency quantiles over the last interval, from the cumulative histogram of a Micrometer
 * timer: the difference of two snapshots' bucket counts, interpolated within the bucket.
 */
public final class LatencyWindow {
    private double[] previousCounts = new double[0];

    /** The quantiles of what the timer recorded since the last call. */
    public TapioStatus.Latency next(Timer timer) {
        if (timer == null) {
            return new TapioStatus.Latency(0, null, null, null);
        }
        CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
        double[] counts = new double[buckets.length];
        double[] bounds = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            counts[i] = buckets[i].count() - (i < previousCounts.length ? previousCounts[i] : 0);
            bounds[i] = buckets[i].bucket(TimeUnit.SECONDS);
        }
        previousCounts = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            previousCounts[i] = buckets[i].count();
        }
        long samples = counts.length == 0 ? 0 : Math.round(counts[counts.length - 1]);
        return new TapioStatus.Latency(
                samples,
                quantile(counts, bounds, 0.5),
                quantile(counts, bounds, 0.99),
                quantile(counts, bounds, 0.999));
    }

    /** Micrometer's bucket counts are cumulative: the count of values up to each bound. */
    static Double quantile(double[] cumulative, double[] bounds, double q) {
        if (cumulative.length == 0 || cumulative[cumulative.length - 1] <= 0) {
            return null;
        }
        double rank = q * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (cumulative[i] >= rank) {
                double lower = i == 0 ? 0 : bounds[i - 1];
                double below = i == 0 ? 0 : cumulative[i - 1];
                double inBucket = cumulative[i] - below;
                return inBucket <= 0 ? bounds[i] : lower + (bounds[i] - lower) * (rank - below) / inBucket;
            }
        }
        return bounds[bounds.length - 1];
    }
}
