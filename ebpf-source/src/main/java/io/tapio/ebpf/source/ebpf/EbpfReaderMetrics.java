package io.tapio.ebpf.source.ebpf;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Reason;
import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.collector.KernelStats;
import io.tapio.ebpf.metrics.DropReason;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.ring.RingBufferReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

/**
 * What an eBPF source reader reports, both as Flink metrics (the web UI) and in Micrometer's
 * global registry (the Prometheus endpoint, with the names operators alert on):
 * {@code tapio_ringbuf_used_ratio}, {@code tapio_events_dropped_total{reason}},
 * {@code tapio_kernel_events_total{type,disposition}} (every candidate the programs saw and
 * what became of it), {@code tapio_source_batch_size}, {@code tapio_source_restarts_total},
 * {@code tapio_ring_late_wakeups_total}, {@code tapio_ring_coalesced_waits_total}.
 */
final class EbpfReaderMetrics implements AutoCloseable {
    private final MeterRegistry registry = Metrics.globalRegistry;
    private final List<Meter> meters = new ArrayList<>();
    private final Supplier<EbpfSplit> split;
    private volatile KernelStats kernelStats;

    EbpfReaderMetrics(
            String node,
            SourceReaderMetricGroup flink,
            RingBufferReader reader,
            RingWaiter waiter,
            AdaptiveBatchSize batch,
            Supplier<EbpfSplit> split,
            Map<EventType, String> unavailable,
            Map<EventType, String> limitations,
            KernelStats kernelStats) {
        this.split = split;
        // Before any meter is registered: the status sampler reads them from another thread at once.
        this.kernelStats = kernelStats;
        flink.setPendingBytesGauge(reader::pendingBytes);
        flink.gauge("ringFillRatio", (Gauge<Double>) reader::fillRatio);
        flink.gauge("batchSize", (Gauge<Integer>) batch::size);
        flink.gauge("lostInRing", (Gauge<Long>) () -> split.get().lostInRing());
        flink.gauge("malformedRecords", (Gauge<Long>) () -> split.get().malformed());
        flink.gauge("restarts", (Gauge<Integer>) () -> split.get().restarts());
        flink.gauge("unobservedMillis", (Gauge<Long>) () -> split.get().unobservedMillis());
        MetricGroup kernel = flink.addGroup("kernel");
        for (EventType type : EventType.values()) {
            for (Reason d : Reason.values()) {
                kernel.addGroup("type", type.label())
                        .addGroup("disposition", d.label())
                        .gauge("events", (Gauge<Long>) () -> kernelStats.count(type, d));
            }
        }

        meters.add(io.micrometer.core.instrument.Gauge.builder(
                        MetricNames.RINGBUF_USED_RATIO, reader, RingBufferReader::fillRatio)
                .tag("node", node)
                .description("How full the kernel's ring buffer is, 0 to 1")
                .register(registry));
        meters.add(io.micrometer.core.instrument.Gauge.builder(
                        MetricNames.SOURCE_BATCH_SIZE, batch, AdaptiveBatchSize::size)
                .tag("node", node)
                .description("Records the source hands over per call, as the adaptive batcher chose")
                .register(registry));
        dropped(node, DropReason.RING_FULL.label(), s -> s.lostInRing());
        dropped(node, DropReason.MALFORMED.label(), s -> s.malformed());
        meters.add(FunctionCounter.builder(MetricNames.RING_LATE_WAKEUPS, waiter, RingWaiter::lateWakeups)
                .tag("node", node)
                .description("Sleeps of the reader that ended at the longest sleep (1 s) with records waiting")
                .register(registry));
        meters.add(FunctionCounter.builder(MetricNames.RING_COALESCED_WAITS, waiter, RingWaiter::coalescedWaits)
                .tag("node", node)
                .description("Hand-overs of a busy ring after records gathered for the coalescing delay")
                .register(registry));
        meters.add(FunctionCounter.builder(
                        MetricNames.SOURCE_RESTARTS, this, m -> m.split.get().restarts())
                .tag("node", node)
                .description("Restarts from a checkpoint; kernel events are not replayed")
                .register(registry));
        unavailable.forEach((type, why) ->
                meters.add(io.micrometer.core.instrument.Gauge.builder(MetricNames.KERNEL_TYPE_UNAVAILABLE, () -> 1)
                        .tags("node", node, "type", type.label(), "reason", why)
                        .description("An event type this kernel cannot provide, and why")
                        .register(registry)));
        limitations.forEach((type, what) ->
                meters.add(io.micrometer.core.instrument.Gauge.builder(MetricNames.KERNEL_TYPE_LIMITED, () -> 1)
                        .tags("node", node, "type", type.label(), "limitation", what)
                        .description("An event type this kernel provides with less, and what is missing")
                        .register(registry)));
        for (EventType type : EventType.values()) {
            for (Reason d : Reason.values()) {
                meters.add(FunctionCounter.builder(MetricNames.KERNEL_EVENTS, this, m -> m.kernelStats.count(type, d))
                        .tags("node", node, "type", type.label(), "disposition", d.label())
                        .description("Candidate events the programs saw, by what became of them")
                        .register(registry));
            }
        }
    }

    private void dropped(String node, String reason, ToDoubleFunction<EbpfSplit> count) {
        meters.add(FunctionCounter.builder(MetricNames.EVENTS_DROPPED, this, m -> count.applyAsDouble(m.split.get()))
                .tags("node", node, "reason", reason)
                .description("Events lost before reaching the job")
                .register(registry));
    }

    void kernelStats(KernelStats stats) {
        this.kernelStats = stats;
    }

    KernelStats latestKernelStats() {
        return kernelStats;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
