package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.ring.BurstWait;
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
 * <p>Its waits are {@link BurstWait}'s: a burst of records is taken in naps, not wakeups.
 */
final class RingWaiter implements AutoCloseable {
    private final RingBufferReader reader;
    private final BurstWait waits;
    private final AtomicReference<CompletableFuture<Void>> waiting = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param longestSleep how often a waiting reader is woken without records; also the bound on
     *     the latency of the rare record whose wakeup the programs missed ({@link RingBufferReader#await})
     * @param nap how long the waiter naps, asking for no wakeup, while a burst lasts; zero: it
     *     sleeps until woken each time the ring is empty
     */
    RingWaiter(RingBufferReader reader, Duration longestSleep, Duration nap, String name) {
        this.reader = reader;
        this.waits = new BurstWait(reader, longestSleep, nap);
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
            waits.await(); // records, the longest sleep, or close: the reader looks either way
            if (waiting.compareAndSet(future, null)) {
                future.complete(null);
            }
        }
    }

    /** See {@link BurstWait#kernelWakeups}. */
    long kernelWakeups() {
        return waits.kernelWakeups();
    }

    /** See {@link BurstWait#lateWakeups}. */
    long lateWakeups() {
        return waits.lateWakeups();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        waits.stop();
        thread.join();
        CompletableFuture<Void> future = waiting.getAndSet(null);
        if (future != null) {
            future.complete(null);
        }
    }
}
