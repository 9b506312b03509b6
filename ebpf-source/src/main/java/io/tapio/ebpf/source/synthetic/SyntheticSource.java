package io.tapio.ebpf.source.synthetic;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.source.PendingSplitsEnumerator;
import io.tapio.ebpf.source.SplitListSerializer;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.types.KernelEventSerializer;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Synthetic kernel events (see {@link io.tapio.ebpf.synthetic.SyntheticEventGenerator}) as a
 * Flink source, for machines without eBPF, tests and benchmarks. One split, read by one
 * reader.
 *
 * <ul>
 *   <li>{@link #paced}: in real time at the configured rate, with live timestamps, for ever;
 *   <li>{@link #asFastAsPossible}: on virtual time, up to a number of events: deterministic,
 *       and resumed from a checkpoint exactly where it stopped.
 * </ul>
 */
public final class SyntheticSource
        implements Source<KernelEvent, SyntheticSplit, List<SyntheticSplit>>, ResultTypeQueryable<KernelEvent> {
    /** The virtual start of deterministic runs: any fixed instant will do. */
    static final long VIRTUAL_START_NS = 1_000_000_000L;

    private final SyntheticConfig config;
    private final long maxEvents;
    private final boolean paced;

    private SyntheticSource(SyntheticConfig config, long maxEvents, boolean paced) {
        if (!paced && maxEvents <= 0) {
            throw new IllegalArgumentException("a run as fast as possible needs a number of events, not " + maxEvents);
        }
        this.config = config;
        this.maxEvents = maxEvents;
        this.paced = paced;
    }

    public static SyntheticSource paced(SyntheticConfig config) {
        return new SyntheticSource(config, Long.MAX_VALUE, true);
    }

    public static SyntheticSource asFastAsPossible(SyntheticConfig config, long events) {
        return new SyntheticSource(config, events, false);
    }

    @Override
    public Boundedness getBoundedness() {
        return paced ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<SyntheticSplit, List<SyntheticSplit>> createEnumerator(
            SplitEnumeratorContext<SyntheticSplit> context) {
        return new PendingSplitsEnumerator<>(context, List.of(new SyntheticSplit(paced ? 0 : VIRTUAL_START_NS, 0)));
    }

    @Override
    public SplitEnumerator<SyntheticSplit, List<SyntheticSplit>> restoreEnumerator(
            SplitEnumeratorContext<SyntheticSplit> context, List<SyntheticSplit> pending) {
        return new PendingSplitsEnumerator<>(context, pending);
    }

    @Override
    public SimpleVersionedSerializer<SyntheticSplit> getSplitSerializer() {
        return new SyntheticSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<SyntheticSplit>> getEnumeratorCheckpointSerializer() {
        return new SplitListSerializer<>(new SyntheticSplitSerializer());
    }

    @Override
    public SourceReader<KernelEvent, SyntheticSplit> createReader(SourceReaderContext context) {
        return new SyntheticSourceReader(context, config, maxEvents, paced);
    }

    @Override
    public TypeInformation<KernelEvent> getProducedType() {
        return KernelEventSerializer.TYPE;
    }
}
