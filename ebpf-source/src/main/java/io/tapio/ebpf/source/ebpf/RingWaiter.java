package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.ring.PollInterval;
import io.tapio.ebpf.ring.RingBufferReader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells an idle source reader when the ring has data again, on a thread of its own, so that
 * the task thread never blocks. The programs wake readers only when the ring fills, so the
 * waiter looks at the ring while data comes and goes, and falls back to sleeping in epoll
 * once the node has been quiet for a while. How often it looks adapts to the rate
 * ({@link PollInterval}). On a quiet node it still wakes the reader now and then, which has
 * work besides the ring's records (the kernel's counters).
 */
final class RingWaiter implements AutoCloseable {
    private static final Duration QUIET_AFTER = Duration.ofMillis(100);
    private static final Duration QUIET_WAIT = Duration.ofMillis(10);

    private final RingBufferReader reader;
    private final PollInterval interval;
    private final long wakeEveryNanos;
    private final AtomicReference<CompletableFuture<Void>> waiting = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param wakeEvery the longest a waiting reader is left without a wakeup, data or not */
    RingWaiter(RingBufferReader reader, Duration pollInterval, Duration wakeEvery, String name) {
        this.reader = reader;
        this.interval = PollInterval.from(pollInterval);
        this.wakeEveryNanos = wakeEvery.toNanos();
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
        }
        LockSupport.unpark(thread);
        return future;
    }

    private void run() {
        long lastData = System.nanoTime();
        long lastWake = lastData;
        while (running) {
            CompletableFuture<Void> future = waiting.get();
            if (future == null) {
                LockSupport.park(this);
                continue;
            }
            boolean data;
            if (System.nanoTime() - lastData < QUIET_AFTER.toNanos()) {
                LockSupport.parkNanos(interval.nanos());
                long pending = reader.pendingBytes();
                data = pending > 0;
                interval.after(pending);
            } else {
                interval.reset();
                data = reader.await(QUIET_WAIT);
            }
            long now = System.nanoTime();
            if (data) {
                lastData = now;
            }
            if ((data || now - lastWake >= wakeEveryNanos) && waiting.compareAndSet(future, null)) {
                lastWake = now;
                future.complete(null);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join();
        CompletableFuture<Void> future = waiting.getAndSet(null);
        if (future != null) {
            future.complete(null);
        }
    }
}
