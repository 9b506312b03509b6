package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.abi.KernelEvent;
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
 * The kernel as a Flink source: Tapio's BPF programs on every node, read through their ring
 * buffer (FLIP-27). There is one split per node, and the enumerator gives it to the reader
 * running on that node, so that on a cluster every TaskManager reads its own kernel.
 *
 * <p>Unbounded, and not replayable: the kernel keeps no history, so a restart from a
 * checkpoint resumes with what happens from then on. Each split counts its restarts and the
 * time no program was watching ({@link EbpfSplit#unobservedMillis()}).
 *
 * @see EbpfSourceBuilder
 */
public final class EbpfSource
        implements Source<KernelEvent, EbpfSplit, EbpfEnumeratorState>, ResultTypeQueryable<KernelEvent> {
    private final EbpfSourceOptions options;

    EbpfSource(EbpfSourceOptions options) {
        this.options = options;
    }

    public static EbpfSourceBuilder builder() {
        return new EbpfSourceBuilder();
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<EbpfSplit, EbpfEnumeratorState> createEnumerator(SplitEnumeratorContext<EbpfSplit> context) {
        return new EbpfSplitEnumerator(context, new EbpfEnumeratorState(List.of()));
    }

    @Override
    public SplitEnumerator<EbpfSplit, EbpfEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<EbpfSplit> context, EbpfEnumeratorState state) {
        return new EbpfSplitEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<EbpfSplit> getSplitSerializer() {
        return new EbpfSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<EbpfEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new EbpfEnumeratorStateSerializer();
    }

    @Override
    public SourceReader<KernelEvent, EbpfSplit> createReader(SourceReaderContext context) {
        return new EbpfSourceReader(options, context);
    }

    @Override
    public TypeInformation<KernelEvent> getProducedType() {
        return KernelEventSerializer.TYPE;
    }
}
