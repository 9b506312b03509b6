package io.tapio.rollup;

import java.io.Serial;
import java.io.Serializable;

/**
 * Latencies in log-scale buckets, four per power of two (a value's bucket bounds it within
 * 19%): small enough to keep one per workload, minute and metric, exact enough for a p99. A
 * quantile is placed within its bucket by its rank among the bucket's latencies, so that it
 * moves with them: read as the bucket's bound, a steady p99 near a bound would jump 19% from
 * one minute to the next, and a 15% rise could show as none or as 19%.
 */
final class LatencyHistogram implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final int PER_OCTAVE = 4;
    /** Up to 2^64 ns. */
    private static final int BUCKETS = 64 * PER_OCTAVE;

    private final long[] counts;
    private long total;

    LatencyHistogram() {
        this.counts = new long[BUCKETS];
    }

    private LatencyHistogram(LatencyHistogram from) {
        this.counts = from.counts.clone();
        this.total = from.total;
    }

    LatencyHistogram copy() {
        return new LatencyHistogram(this);
    }

    void record(long nanos) {
        counts[bucket(nanos)]++;
        total++;
    }

    long count() {
        return total;
    }

    /**
     * The quantile in seconds, 0 when empty: within its bucket, as far from the bucket's lower
     * bound towards its upper one (on the log scale) as its rank is among the bucket's counts.
     */
    double quantileSeconds(double q) {
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank && counts[i] > 0) {
                double within = (rank - (seen - counts[i])) / (double) counts[i];
                return Math.pow(2, (i + within) / PER_OCTAVE) / 1e9;
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
}
