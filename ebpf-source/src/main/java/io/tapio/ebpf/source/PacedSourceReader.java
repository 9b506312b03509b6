package io.tapio.ebpf.source;

import io.tapio.ebpf.abi.KernelEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * A source reader that paces its events in time (the replay and synthetic sources): an event
 * that is not due yet makes it report nothing available, and a timer completes the future of
 * {@link #isAvailable()} when it is due, so the task thread never sleeps. It asks for a split
 * at start; a split that arrives or the end of input completes the future too. The timer's
 * thread starts only when first needed.
 */
public abstract class PacedSourceReader<SplitT extends SourceSplit> implements SourceReader<KernelEvent, SplitT> {
    protected final SourceReaderContext context;
    private final String timerName;
    private ScheduledExecutorService timer;
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;

    /** @param timerName the name of the timer's thread, as seen in thread dumps */
    protected PacedSourceReader(SourceReaderContext context, String timerName) {
        this.context = context;
        this.timerName = timerName;
    }

    @Override
    public void start() {
        context.sendSplitRequest();
    }

    @Override
    public final CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public final void notifyNoMoreSplits() {
        noMoreSplits = true;
        signal();
    }

    /** Something changed (a split came): the task should poll again. */
    protected final void signal() {
        available.complete(null);
    }

    /** What {@code pollNext} returns without a split: the end, or nothing until a split comes. */
    protected final InputStatus withoutSplit() {
        if (noMoreSplits) {
            return InputStatus.END_OF_INPUT;
        }
        reset();
        return InputStatus.NOTHING_AVAILABLE;
    }

    /** What {@code pollNext} returns when the next event is due in {@code delayNanos}. */
    protected final InputStatus dueIn(long delayNanos) {
        CompletableFuture<Void> due = reset();
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name(timerName).daemon().factory());
        }
        timer.schedule(() -> due.complete(null), delayNanos, TimeUnit.NANOSECONDS);
        return InputStatus.NOTHING_AVAILABLE;
    }

    /** A fresh future if the last one was completed: nothing is available until it completes. */
    private CompletableFuture<Void> reset() {
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return available;
    }

    @Override
    public void close() throws Exception {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
