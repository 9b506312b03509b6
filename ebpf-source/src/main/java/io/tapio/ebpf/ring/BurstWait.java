package io.tapio.ebpf.ring;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * How a reader waits for the ring's next records, one thread at a time. A wakeup is dear: the
 * record that finds the reader's request queues the kernel's irq_work, whose interrupt wakes
 * the reader while the traced program runs (about 11 µs more for that record on a 2-vCPU VM),
 * and a trickle of records (a process spawned: its exec, then its exit) would wake it for one
 * by one. So, as NAPI does for a network card, a wakeup starts a burst: while the ring has
 * records after a {@code nap}, the reader naps on a timer and asks for no wakeup; the first nap
 * without records ends the burst, and the reader sleeps until the kernel wakes it again. Idle
 * costs one nap after the last record; a record in a burst waits a nap at most.
 */
public final class BurstWait {
    private final RingBufferReader reader;
    private final Duration longestSleep;
    private final long napNanos;
    private volatile boolean stopped;
    private volatile long kernelWakeups;
    private volatile long lateWakeups;
    /** Whether the last wait ended with records: a burst is under way (the waiting thread only). */
    private boolean inBurst;

    /**
     * @param longestSleep a sleep without records ends this late at the latest (see
     *     {@link RingBufferReader#await})
     * @param nap how long a wait naps while a burst lasts; zero: each wait sleeps until woken
     */
    public BurstWait(RingBufferReader reader, Duration longestSleep, Duration nap) {
        this.reader = reader;
        this.longestSleep = longestSleep;
        this.napNanos = nap.toNanos();
    }

    /**
     * Waits for records: a nap while a burst lasts, else a sleep until the kernel wakes the
     * reader, {@link #stop} is called or the longest sleep passes.
     *
     * @return whether records are waiting
     */
    public boolean await() {
        inBurst = inBurst && napNanos > 0 && napFindsRecords();
        if (inBurst) {
            return true;
        }
        long start = System.nanoTime();
        boolean records = reader.await(longestSleep);
        if (records && System.nanoTime() - start >= longestSleep.toNanos()) {
            lateWakeups = lateWakeups + 1; // single writer: the waiting thread
        } else if (records) {
            kernelWakeups = kernelWakeups + 1;
        }
        inBurst = records;
        return records;
    }

    /** Ends a wait under way (a nap or a sleep) at once, and every later one. Any thread. */
    public void stop() {
        stopped = true;
        reader.wakeUp();
    }

    /** Sleeps that ended with records before the longest sleep: at most one per burst. */
    public long kernelWakeups() {
        return kernelWakeups;
    }

    /**
     * Sleeps that ended at the longest sleep although records were waiting: each made its
     * records wait up to that long. A healthy reader has next to none.
     */
    public long lateWakeups() {
        return lateWakeups;
    }

    private boolean napFindsRecords() {
        long until = System.nanoTime() + napNanos;
        for (long left = napNanos;
                left > 0 && !stopped && reader.pendingBytes() == 0;
                left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
        return reader.pendingBytes() > 0;
    }
}
