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
 * <p>While records arrive faster than {@link Coalescing#abovePerSecond}, the waiter does not ask
 * for the kernel's wakeup: it lets records gather for {@link Coalescing#delay} and hands them
 * over together ({@link #coalescedWaits}). When nothing came in that time, it sleeps in epoll as
 * on a quiet ring.
 */
final class RingWaiter implements AutoCloseable {
    private final RingBufferReader reader;
    private final Duration longestSleep;
    private final Coalescing coalescing;
    private final Duration slice;
    private final AtomicReference<CompletableFuture<Void>> waiting = new AtomicReference<>();
    /** How far the reader had read when the task last got a future it had to wait on; the task's only. */
    private long consumedWhenAsked = -1;

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lateWakeups;
    private volatile long coalescedWaits;

    /**
     * @param longestSleep how often a waiting reader is woken without records; also the bound on
     *     the latency of the rare record whose wakeup the programs missed ({@link RingBufferReader#await})
     * @param coalescing how long records gather on a busy ring before the task is told
     * @param slice the scheduler slice the waiter's thread asks for ({@link ReaderSlice}); zero asks none
     */
    RingWaiter(RingBufferReader reader, Duration longestSleep, Coalescing coalescing, Duration slice, String name) {
        this.reader = reader;
        this.longestSleep = longestSleep;
        this.coalescing = coalescing;
        this.slice = slice;
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /**
     * A future that completes once the ring has data; completed already if it has. The task
     * asks more than once while it waits (Flink's source operator does, each time its mailbox
     * looks at its inputs): asked again before reading anything, it gets the same future, and
     * the waiter, whose sleep still holds, is left asleep.
     */
    CompletableFuture<Void> available() {
        if (reader.pendingBytes() > 0) {
            return CompletableFuture.completedFuture(null);
        }
        long consumed = reader.consumed();
        CompletableFuture<Void> pending = waiting.get();
        if (pending != null && consumed == consumedWhenAsked) {
            return pending;
        }
        consumedWhenAsked = consumed;
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
        ReaderSlice.request(slice, "ring's waiter");
        RecordRate rate = new RecordRate(System.nanoTime(), reader.records());
        while (running) {
            CompletableFuture<Void> future = waiting.get();
            if (future == null) {
                LockSupport.park(this); // the task is reading: it asks again when the ring is empty
                continue;
            }
            if (coalescing.applies(rate.update(System.nanoTime(), reader.records())) && gathered()) {
                coalescedWaits = coalescedWaits + 1; // single writer: this thread
            } else {
                sleep();
            }
            handOver(future);
        }
    }

    /**
     * After a wait for {@code waitedFor}: completes the task's future. The task may have replaced
     * it meanwhile: Flink looks at the reader's availability twice, and a record that comes
     * between the looks makes the second say "available"; the task reads it and asks again,
     * while the waiter still waits for the first future. The future the task holds then is
     * completed too when the ring has records: waiting again would hold records that are there
     * already (at 100,000 events/s, one hand-over in ten waited twice the coalescing delay). With
     * the ring empty the waiter waits again, for the new future, asking for a new wakeup.
     */
    private void handOver(CompletableFuture<Void> waitedFor) {
        CompletableFuture<Void> current = waiting.get();
        while (current != null && (current == waitedFor || reader.pendingBytes() > 0)) {
            if (waiting.compareAndSet(current, null)) {
                current.complete(null);
                return;
            }
            current = waiting.get();
        }
    }

    /** Sleeps in epoll until a record, the longest sleep, or close: the reader looks either way. */
    private void sleep() {
        long start = System.nanoTime();
        if (reader.await(longestSleep) && System.nanoTime() - start >= longestSleep.toNanos()) {
            lateWakeups = lateWakeups + 1; // single writer: this thread
        }
    }

    /**
     * Lets records gather for the coalescing delay, without asking the kernel for a wakeup; only
     * close ends it early (an unpark meant for {@link #run}'s idle park may end a park here).
     *
     * @return whether records came
     */
    private boolean gathered() {
        long delay = coalescing.delay().toNanos();
        long deadline = System.nanoTime() + delay;
        for (long left = delay; left > 0 && running; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
        return reader.pendingBytes() > 0;
    }

    /**
     * Sleeps that ended at the longest sleep although records were waiting: each made its
     * records wait up to that long. A healthy reader has next to none (see {@link RingBufferReader#await}).
     */
    long lateWakeups() {
        return lateWakeups;
    }

    /** Hand-overs of a busy ring after the coalescing delay, instead of on the kernel's wakeup. */
    long coalescedWaits() {
        return coalescedWaits;
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
