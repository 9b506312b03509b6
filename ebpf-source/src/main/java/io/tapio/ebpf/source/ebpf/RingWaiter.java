package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.ring.RingBufferReader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells an idle source reader when the ring has data again, on a thread of its own, so that
 * the task thread never blocks. Whenever the task finds the ring empty, the waiter sleeps in
 * epoll having asked the programs to wake it with the next record: a quiet node costs no
 * polling, and a single event is read as soon as the kernel's wakeup arrives. Under load the
 * task rarely finds the ring empty (records arrive while it handles the last batch), so the
 * programs submit without wakeups and each wakeup brings a batch. A sleep ends after
 * {@code longestSleep} without a record too, and the reader is woken then all the same: it has
 * work besides the ring's records (the kernel's counters), and nothing else would call it.
 *
 * <p>The programs' wakeup is one-shot: the record that finds the waiter's request clears it. If
 * the task reads that record before the woken waiter looks (Flink may poll the reader again
 * before the waiter's future completes), epoll finds the ring empty and sleeps on, with nobody
 * asked to wake it: every record then waits for the longest sleep. So whenever the task asks
 * for a new future while the waiter still holds the last one, the waiter is made to ask again.
 * Sleeps that end at the longest sleep with records waiting are counted ({@link #lateWakeups}).
 *
 * <p>A wakeup is dear: the record that finds the request queues the kernel's irq_work, whose
 * interrupt wakes this thread while the traced program runs (about 11 µs more for that record
 * on a 2-vCPU VM), and a trickle of records (a process spawned: its exec, then its exit) would
 * be woken for one by one. So, as NAPI does for a network card, a wakeup starts a burst: while
 * the ring keeps having records after a {@code nap}, the waiter naps on a timer and asks for no
 * wakeup; the first nap without records ends the burst, and the waiter sleeps until the kernel
 * wakes it again. Idle costs one nap after the last record; a record in a burst waits a nap at
 * most.
 */
final class RingWaiter implements AutoCloseable {
    private final RingBufferReader reader;
    private final Duration longestSleep;
    private final long napNanos;
    private final AtomicReference<CompletableFuture<Void>> waiting = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lateWakeups;
    private volatile long kernelWakeups;
    /** Whether the last wait ended with records: a burst is under way (this thread only). */
    private boolean inBurst;

    /**
     * @param longestSleep how often a waiting reader is woken without records; also the bound on
     *     the latency of the rare record whose wakeup the programs missed ({@link RingBufferReader#await})
     * @param nap how long the waiter naps, asking for no wakeup, while a burst lasts; zero: it
     *     sleeps until woken each time the ring is empty
     */
    RingWaiter(RingBufferReader reader, Duration longestSleep, Duration nap, String name) {
        this.reader = reader;
        this.longestSleep = longestSleep;
        this.napNanos = nap.toNanos();
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** A future that completes once the ring has data; completed already if it has. */
    CompletableFuture<Void> available() {
        if (reader.pendingBytes() > 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        CompletableFuture<Void> previous = waiting.getAndSet(future);
        if (previous != null) {
            future.whenComplete((ignored, error) -> previous.complete(null));
            reader.wakeUp(); // its sleep may have lost its wakeup to the task's read: it must ask again
        }
        LockSupport.unpark(thread);
        return future;
    }

    private void run() {
        while (running) {
            CompletableFuture<Void> future = waiting.get();
            if (future == null) {
                LockSupport.park(this); // the task is reading: it asks again when the ring is empty
                continue;
            }
            inBurst = inBurst && napNanos > 0 && napFindsRecords();
            if (!inBurst) {
                long start = System.nanoTime();
                // a record, the longest sleep, or close: the reader looks either way
                boolean records = reader.await(longestSleep);
                boolean late = System.nanoTime() - start >= longestSleep.toNanos();
                if (records && late) {
                    lateWakeups = lateWakeups + 1; // single writer: this thread
                } else if (records) {
                    kernelWakeups = kernelWakeups + 1;
                }
                inBurst = records;
            }
            if (waiting.compareAndSet(future, null)) {
                future.complete(null);
            }
        }
    }

    /** Naps for {@code nap}, or less if records come or the waiter closes; whether records came. */
    private boolean napFindsRecords() {
        long until = System.nanoTime() + napNanos;
        for (long left = napNanos;
                left > 0 && running && reader.pendingBytes() == 0;
                left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
        return reader.pendingBytes() > 0;
    }

    /** Waits for a wakeup that ended with records: at most one per burst (see above). */
    long kernelWakeups() {
        return kernelWakeups;
    }

    /**
     * Sleeps that ended at the longest sleep although records were waiting: each made its
     * records wait up to that long. A healthy reader has next to none (see {@link RingBufferReader#await}).
     */
    long lateWakeups() {
        return lateWakeups;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        reader.wakeUp();
        thread.join();
        CompletableFuture<Void> future = waiting.getAndSet(null);
        if (future != null) {
            future.complete(null);
        }
    }
}
