package io.tapio.ebpf.source;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The availability of a source reader that paces its records in time: the future Flink's
 * {@code isAvailable()} returns, completed when a split arrives, when input ends, or when a
 * timer says the next record is due. The timer's thread starts only when first needed.
 */
public final class PacedAvailability implements AutoCloseable {
    private final String timerName;
    private ScheduledExecutorService timer;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    /** @param timerName the name of the timer's thread, as seen in thread dumps */
    public PacedAvailability(String timerName) {
        this.timerName = timerName;
    }

    /** What {@code isAvailable()} returns. */
    public CompletableFuture<Void> future() {
        return available;
    }

    /** Something changed (a split came, input ended): the reader should look again. */
    public void signal() {
        available.complete(null);
    }

    /** Nothing until {@link #signal()}: a fresh future if the last one was completed. */
    public CompletableFuture<Void> reset() {
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return available;
    }

    /** Nothing until {@code delayNanos} have passed (or a signal comes first). */
    public void wakeAfter(long delayNanos) {
        CompletableFuture<Void> due = reset();
        timer().schedule(() -> due.complete(null), delayNanos, TimeUnit.NANOSECONDS);
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(timerName).daemon().factory());
        }
        return timer;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
