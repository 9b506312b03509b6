package io.tapio.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.metrics.MetricNames;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;

/**
 * The job's own filter, after the kernel's: of the delivered events, only those that can
 * matter to a pattern or a rollup go on. Today that leaves out the clean exits (status 0, no
 * signal) of a workload's helpers, most of a node's exits; the clean exit of a workload's main
 * process stays, since it ends a run that got what it waited for. Counted as
 * {@code tapio_events_relevant_total} and {@code tapio_events_irrelevant_total}.
 */
public final class Relevance extends RichFilterFunction<KernelEvent> {
    private static final long FLUSH_EVERY_NANOS = 200_000_000L;

    private transient Counter relevant;
    private transient Counter irrelevant;
    private transient long pendingRelevant;
    private transient long pendingIrrelevant;
    private transient long lastFlush;

    /** Whether the event can matter to a pattern or a rollup; node agents apply it before publishing. */
    public static boolean relevant(KernelEvent event) {
        Exit exit = event.payloadIf(Exit.class);
        return exit == null || exit.abnormal() || exit.origin() == ExitOrigin.MAIN;
    }

    @Override
    public void open(OpenContext context) {
        relevant = Metrics.counter(MetricNames.EVENTS_RELEVANT);
        irrelevant = Metrics.counter(MetricNames.EVENTS_IRRELEVANT);
    }

    @Override
    public boolean filter(KernelEvent event) {
        boolean keep = relevant(event);
        if (keep) {
            pendingRelevant++;
        } else {
            pendingIrrelevant++;
        }
        long now = System.nanoTime();
        if (now - lastFlush > FLUSH_EVERY_NANOS) {
            flush();
            lastFlush = now;
        }
        return keep;
    }

    private void flush() {
        relevant.increment(pendingRelevant);
        irrelevant.increment(pendingIrrelevant);
        pendingRelevant = 0;
        pendingIrrelevant = 0;
    }

    @Override
    public void close() {
        if (relevant != null) {
            flush();
        }
    }
}
