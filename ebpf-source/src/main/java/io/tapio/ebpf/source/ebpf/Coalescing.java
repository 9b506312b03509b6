package io.tapio.ebpf.source.ebpf;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * When the ring is busy, how long a {@link RingWaiter} lets records gather before it hands the
 * ring to the task, instead of asking the kernel to wake it with the next record. As a network
 * card moderates its interrupts: a quiet ring wakes the reader at once, a busy one at most once
 * per {@code delay}.
 *
 * <p>Why: at 100,000 events/s the kernel's wakeup found about 3 records each time, so the task
 * and the waiter woke about 30,000 times a second each, and the wakeups cost more than the
 * records (the source task's thread spent 3.7 of 8 s on CPU, the waiter 1.8 s; 200 µs of
 * gathering halved both). The delay adds at most itself to an event's latency, and only from
 * {@code abovePerSecond} on, where a delay gathers {@code abovePerSecond × delay} records or more.
 *
 * @param delay how long records gather; zero turns coalescing off
 * @param abovePerSecond the rate of records from which the ring counts as busy
 */
public record Coalescing(Duration delay, double abovePerSecond) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * A ring counts as busy when this many records or more would gather in the delay: below
     * that, gathering mostly waits for nothing, and each record still wakes the reader.
     */
    public static final int BUSY_RECORDS_PER_DELAY = 3;

    /** Every hand-over on the kernel's wakeup. */
    public static final Coalescing NONE = new Coalescing(Duration.ZERO, Double.POSITIVE_INFINITY);

    /** 200 µs from 15,000 records/s on. */
    public static final Coalescing DEFAULT = of(Duration.ofNanos(200_000));

    public Coalescing {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a coalescing delay cannot be negative: " + delay);
        }
        if (!(abovePerSecond >= 0)) {
            throw new IllegalArgumentException("a coalescing threshold must be a rate of 0 or more: " + abovePerSecond);
        }
    }

    /**
     * Records gather for {@code delay} from the rate at which {@link #BUSY_RECORDS_PER_DELAY}
     * would come in it; a zero delay turns coalescing off.
     */
    public static Coalescing of(Duration delay) {
        return delay.isZero() ? NONE : new Coalescing(delay, BUSY_RECORDS_PER_DELAY * 1e9 / delay.toNanos());
    }

    /** Whether records arriving at {@code perSecond} gather for {@link #delay} first. */
    boolean applies(double perSecond) {
        return !delay.isZero() && perSecond >= abovePerSecond;
    }
}
