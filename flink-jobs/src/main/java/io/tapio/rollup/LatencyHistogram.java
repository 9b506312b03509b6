package io.tapio.rollup;

import java.io.Serial;
import java.io.Serializable;

/**
 * Latencies in log-scale buckets, four per power of two (a value's bucket bounds it within
 * 19%): small enough to keep one per workload, minute and metric, exact enough for a p99.
 */
final class LatencyHistogram implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final int PER_OCTAVE = 4;
    /** Up to 2^64 ns. */
    private static final int BUCKETS = 64 * PER_OCTAVE;

    private final long[] counts = new long[BUCKETS];
    private long total;

    void record(long nanos) {
        counts[bucket(nanos)]++;
        total++;
    }

    long count() {
        return total;
    }

    void merge(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    /** The quantile's bucket's upper bound, in seconds; 0 when empty. */
    double quantileSeconds(double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank && seen > 0) {
                return upperBound(i) / 1e9;
            }
        }
        return 0;
    }

    static int bucket(long nanos) {
        if (nanos <= 1) {
            return 0;
        }
        return Math.min(BUCKETS - 1, (int) Math.floor(Math.log(nanos) / Math.log(2) * PER_OCTAVE));
    }

    static double upperBound(int bucket) {
        return Math.pow(2, (bucket + 1) / (double) PER_OCTAVE);
    }
}
