package io.tapio.ebpf.source.ebpf;

/**
 * The rate at which a reader takes records, from its running count, over windows of at least
 * {@link #WINDOW_NANOS}: long enough to count hundreds of records at the rates that matter,
 * short enough that a burst's end is noticed within one window. One thread.
 */
final class RecordRate {
    static final long WINDOW_NANOS = 10_000_000;

    private long windowStart;
    private long recordsAtStart;
    private double perSecond;

    RecordRate(long nanos, long records) {
        this.windowStart = nanos;
        this.recordsAtStart = records;
    }

    /**
     * @param nanos now, on {@link System#nanoTime}'s clock
     * @param records the reader's count now
     * @return records per second over the last whole window (0 before the first one ends)
     */
    double update(long nanos, long records) {
        long elapsed = nanos - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            perSecond = (records - recordsAtStart) * 1e9 / elapsed;
            windowStart = nanos;
            recordsAtStart = records;
        }
        return perSecond;
    }
}
