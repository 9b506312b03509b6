package io.tapio.ebpf.source.replay;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.ReplayPacing;
import io.tapio.ebpf.source.PendingSplitsEnumerator;
import io.tapio.ebpf.source.SplitListSerializer;
import io.tapio.ebpf.types.KernelEventSerializer;
import java.nio.file.Path;
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
 * Replays a capture written by {@code tapio record}: exactly the recorded records, in order,
 * as fast as possible or paced at the speed they were recorded (or a multiple of it). Bounded,
 * and replayable from a checkpoint.
 */
public final class ReplaySource
        implements Source<KernelEvent, ReplaySplit, List<ReplaySplit>>, ResultTypeQueryable<KernelEvent> {
    private final String file;
    private final double speed;

    private ReplaySource(Path file, double speed) {
        this.file = file.toAbsolutePath().toString();
        this.speed = ReplayPacing.checkSpeed(speed);
    }

    public static ReplaySource asFastAsPossible(Path capture) {
        return new ReplaySource(capture, Double.POSITIVE_INFINITY);
    }

    /**
     * Keeps the recorded gaps between events (measured from the first event), divided by
     * {@code speed}: 1 replays as recorded, 60 an hour in a minute, and
     * {@link Double#POSITIVE_INFINITY} as fast as possible.
     */
    public static ReplaySource atSpeed(Path capture, double speed) {
        return new ReplaySource(capture, speed);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<ReplaySplit, List<ReplaySplit>> createEnumerator(
            SplitEnumeratorContext<ReplaySplit> context) {
        return new PendingSplitsEnumerator<>(context, List.of(new ReplaySplit(file, 0)));
    }

    @Override
    public SplitEnumerator<ReplaySplit, List<ReplaySplit>> restoreEnumerator(
            SplitEnumeratorContext<ReplaySplit> context, List<ReplaySplit> pending) {
        return new PendingSplitsEnumerator<>(context, pending);
    }

    @Override
    public SimpleVersionedSerializer<ReplaySplit> getSplitSerializer() {
        return new ReplaySplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<ReplaySplit>> getEnumeratorCheckpointSerializer() {
        return new SplitListSerializer<>(new ReplaySplitSerializer());
    }

    @Override
    public SourceReader<KernelEvent, ReplaySplit> createReader(SourceReaderContext context) {
        return new ReplaySourceReader(context, speed);
    }

    @Override
    public TypeInformation<KernelEvent> getProducedType() {
        return KernelEventSerializer.TYPE;
    }
}
