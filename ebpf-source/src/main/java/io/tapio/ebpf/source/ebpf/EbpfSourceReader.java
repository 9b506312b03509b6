package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.abi.HandOverBuffer;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.collector.KernelStats;
import io.tapio.ebpf.metrics.Stage;
import io.tapio.ebpf.metrics.StageMetrics;
import io.tapio.ebpf.node.KernelClock;
import io.tapio.ebpf.node.NodeName;
import io.tapio.ebpf.ring.RecordHandler;
import io.tapio.ebpf.ring.RingBufferReader;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's kernel: loads the programs when it gets the node's split, then hands
 * over what the ring holds in adaptive batches. Reading the ring never blocks (the records
 * are already in memory); when it is empty the reader reports so, and a {@link RingWaiter}
 * tells Flink when there is more.
 *
 * <p>The events it hands over are lent ({@link HandOverBuffer}): each batch's records are copied
 * into one reused buffer, and a batch's hand-over ends when Flink polls the reader again, after
 * the operators chained to it have run what their records left in the task's mailbox. The ring's
 * space is returned to the kernel record by record as before, so nothing downstream holds the
 * kernel's producer back.
 */
final class EbpfSourceReader implements SourceReader<KernelEvent, EbpfSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(EbpfSourceReader.class);
    private static final long STATS_REFRESH_NANOS = 1_000_000_000L;

    private final EbpfSourceOptions options;
    private final SourceReaderContext context;
    private final AdaptiveBatchSize batch;
    private final KernelClock clock = KernelClock.local();
    private final Emitter emitter = new Emitter();
    private EbpfSplit split;
    private KernelCollector collector;
    private RingWaiter waiter;
    /** Read by the metrics' own callbacks on other threads, which may run before it is set. */
    private volatile EbpfReaderMetrics metrics;
    /** Completes when this reader gets its split, or learns it will get none. */
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();

    private long lastStatsRefresh;
    private boolean noMoreSplits;

    EbpfSourceReader(EbpfSourceOptions options, SourceReaderContext context) {
        this.options = options;
        this.context = context;
        this.batch = new AdaptiveBatchSize(options.batch());
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<EbpfSplit> splits) {
        for (EbpfSplit added : splits) {
            split = split == null ? restore(added) : merge(split, restore(added));
        }
        if (collector == null && split != null) {
            collector = KernelCollector.open(options.collector());
            collector
                    .unavailable()
                    .forEach((type, why) -> LOG.warn("no {} events on {}: {}", type.label(), split.node(), why));
            ReaderSlice.request(options.readerSlice(), "source's task (ring reader and correlator)");
            // Woken once a stats period without events too: nothing else would call pollNext, and
            // an idle node would keep reporting the kernel's counters of its last busy second.
            waiter = new RingWaiter(
                    collector.reader(),
                    Duration.ofNanos(STATS_REFRESH_NANOS),
                    options.coalescing(),
                    options.readerSlice(),
                    "tapio-ring-waiter");
            metrics = new EbpfReaderMetrics(
                    NodeName.local(),
                    context.metricGroup(),
                    collector.reader(),
                    waiter,
                    batch,
                    this::currentSplit,
                    collector.unavailable(),
                    collector.limitations(),
                    collector.kernelStats());
        }
        assigned.complete(null);
    }

    /** A split from a checkpoint of an earlier run: count the restart and the blind time. */
    private static EbpfSplit restore(EbpfSplit split) {
        if (!split.restored()) {
            return split;
        }
        long unobserved = Math.max(0, System.currentTimeMillis() - split.checkpointEpochMillis());
        LOG.warn(
                "the kernel of {} was not watched for about {} ms (from the last checkpoint to this restart): "
                        + "kernel events cannot be replayed, so events of that time are missing",
                split.node(),
                unobserved);
        return new EbpfSplit(
                split.node(),
                split.recordsRead(),
                split.lostInRing(),
                split.malformed(),
                split.restarts() + 1,
                split.unobservedMillis() + unobserved,
                0);
    }

    /** Two states of this node (a restored one and a new one) become one. */
    private static EbpfSplit merge(EbpfSplit a, EbpfSplit b) {
        return new EbpfSplit(
                a.node(),
                a.recordsRead() + b.recordsRead(),
                a.lostInRing() + b.lostInRing(),
                a.malformed() + b.malformed(),
                a.restarts() + b.restarts(),
                a.unobservedMillis() + b.unobservedMillis(),
                0);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<KernelEvent> output) {
        if (collector == null) {
            return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }
        RingBufferReader reader = collector.reader();
        emitter.handOver.next();
        emitter.output = output;
        long start = System.nanoTime();
        int handed = reader.drain(emitter, batch.size());
        long now = System.nanoTime();
        if (handed > 0) {
            batch.update(now - start, reader.fillRatio());
        }
        if (now - lastStatsRefresh > STATS_REFRESH_NANOS) {
            metrics.kernelStats(collector.kernelStats());
            lastStatsRefresh = now;
        }
        return reader.pendingBytes() > 0 ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return waiter == null ? assigned : waiter.available();
    }

    @Override
    public List<EbpfSplit> snapshotState(long checkpointId) {
        return split == null ? List.of() : List.of(currentSplit().withCheckpointTime(System.currentTimeMillis()));
    }

    /** The split with this run's counts added. */
    private EbpfSplit currentSplit() {
        EbpfReaderMetrics current = metrics;
        if (current == null) {
            return split;
        }
        KernelStats stats = current.latestKernelStats();
        return new EbpfSplit(
                split.node(),
                split.recordsRead() + collector.reader().stats().records(),
                split.lostInRing() + stats.lost(),
                split.malformed() + collector.reader().stats().malformedTotal(),
                split.restarts(),
                split.unobservedMillis(),
                0);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        assigned.complete(null);
    }

    @Override
    public void close() throws Exception {
        if (waiter != null) {
            waiter.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    /**
     * Copies each record out of the ring into the hand-over's buffer and hands it downstream,
     * with its event time; measures how long the record waited in the ring (stage {@code ring}).
     */
    private final class Emitter implements RecordHandler {
        private final StageMetrics taken = StageMetrics.stage(Stage.RING);
        final HandOverBuffer handOver = new HandOverBuffer();
        SourceOutput<KernelEvent> output;

        @Override
        public void onRecord(MemorySegment ring, long offset, int length) {
            KernelEvent event = handOver.copy(ring, offset, length);
            taken.record(event, true);
            output.collect(event, clock.epochMillis(event.timestampNs()));
        }
    }
}
