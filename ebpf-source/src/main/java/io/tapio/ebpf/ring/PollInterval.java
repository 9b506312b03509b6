package io.tapio.ebpf.ring;

import java.time.Duration;

/**
 * How long a reader that polls the ring waits between looks while events come and go. Each
 * look should find about {@code batchBytes} waiting: the interval doubles (up to {@code max})
 * after a look that found less and halves (down to {@code min}) after one that found far
 * more. A node with a few thousand events a second is then looked at about a thousand times
 * a second rather than tens of thousands (every look is a wakeup that takes a CPU from the
 * node's own work), while at high rates the looks come every few tens of microseconds, where
 * latency matters and each look finds plenty. Not thread-safe: one per polling thread.
 */
public final class PollInterval {
    /** The shortest interval, at high rates. */
    public static final Duration DEFAULT_MIN = Duration.ofNanos(50_000);
    /** The longest interval while events come: the latency polling may add. */
    public static final Duration DEFAULT_MAX = Duration.ofMillis(1);
    /** What a look should find: some tens of records. */
    public static final long DEFAULT_BATCH_BYTES = 4096;

    private final long minNanos;
    private final long maxNanos;
    private final long batchBytes;
    private long nanos;

    public PollInterval(Duration min, Duration max, long batchBytes) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0 || batchBytes < 1) {
            throw new IllegalArgumentException("poll interval needs 0 < min <= max and a positive batch, not " + min
                    + ".." + max + ", " + batchBytes + " bytes");
        }
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.batchBytes = batchBytes;
        this.nanos = minNanos;
    }

    /** From {@code min} up to the default maximum, for the default batch. */
    public static PollInterval from(Duration min) {
        return new PollInterval(min, DEFAULT_MAX.compareTo(min) < 0 ? min : DEFAULT_MAX, DEFAULT_BATCH_BYTES);
    }

    /** How long to wait before the next look. */
    public long nanos() {
        return nanos;
    }

    /** After a look that found {@code pendingBytes}: the next one comes later or sooner. */
    public void after(long pendingBytes) {
        if (pendingBytes < batchBytes) {
            nanos = Math.min(maxNanos, 2 * nanos);
        } else if (pendingBytes > 4 * batchBytes) {
            nanos = Math.max(minNanos, nanos / 2);
        }
    }

    /** After a quiet spell: the first events get a quick look. */
    public void reset() {
        nanos = minNanos;
    }
}
