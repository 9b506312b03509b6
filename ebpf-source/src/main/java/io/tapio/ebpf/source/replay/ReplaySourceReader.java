package io.tapio.ebpf.source.replay;

import io.tapio.ebpf.abi.HandOverBuffer;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.CaptureReader;
import io.tapio.ebpf.capture.ReplayPacing;
import io.tapio.ebpf.source.PacedSourceReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/**
 * Reads captures one after the other, as fast as possible or paced at a multiple of recorded speed.
 * Its events are lent as the eBPF source's are ({@link HandOverBuffer}): a poll's records in one
 * buffer, read again from its start at the next poll.
 */
final class ReplaySourceReader extends PacedSourceReader<ReplaySplit> {
    private static final int BATCH = 1024;

    private final double speed;
    private final Deque<ReplaySplit> splits = new ArrayDeque<>();
    private ReplaySplit current;
    private CaptureReader capture;
    private ReplayPacing pacing;
    private final HandOverBuffer handOver = new HandOverBuffer();
    /** The event read but not yet emitted (its time has not come): kept across polls, so one of its own. */
    private KernelEvent next;

    private long emitted;

    /** @param speed times the recorded speed; infinite: as fast as possible */
    ReplaySourceReader(SourceReaderContext context, double speed) {
        super(context, "tapio-replay-pacing");
        this.speed = speed;
    }

    @Override
    public InputStatus pollNext(ReaderOutput<KernelEvent> output) throws IOException {
        handOver.next();
        for (int i = 0; i < BATCH; i++) {
            if (capture == null && !openNext()) {
                return withoutSplit();
            }
            if (next == null && (next = capture.next(handOver)) == null) {
                finishSplit();
                continue;
            }
            long delay = pacing.delayNanos(next.timestampNs(), System.nanoTime());
            if (delay > 0) {
                next = next.kept();
                return dueIn(delay);
            }
            output.collect(next, capture.header().epochNanosOf(next.timestampNs()) / 1_000_000L);
            emitted++;
            next = null;
        }
        return InputStatus.MORE_AVAILABLE;
    }

    /** Opens the next capture, skipping what an earlier run already emitted. */
    private boolean openNext() throws IOException {
        current = splits.poll();
        if (current == null) {
            return false;
        }
        capture = CaptureReader.open(Path.of(current.file()));
        for (emitted = 0; emitted < current.recordsEmitted(); emitted++) {
            if (capture.next() == null) {
                throw new IOException(current.file() + " holds " + emitted + " records, fewer than the "
                        + current.recordsEmitted() + " a checkpoint says were replayed: it changed since");
            }
        }
        next = capture.next();
        pacing = next != null && Double.isFinite(speed)
                ? ReplayPacing.atSpeed(speed, next.timestampNs(), System.nanoTime())
                : ReplayPacing.asFastAsPossible();
        return true;
    }

    private void finishSplit() throws IOException {
        capture.close();
        capture = null;
        current = null;
        context.sendSplitRequest();
    }

    @Override
    public void addSplits(List<ReplaySplit> added) {
        splits.addAll(added);
        signal();
    }

    @Override
    public List<ReplaySplit> snapshotState(long checkpointId) {
        List<ReplaySplit> state = new ArrayList<>();
        if (current != null) {
            state.add(new ReplaySplit(current.file(), emitted));
        }
        state.addAll(splits);
        return state;
    }

    @Override
    public void close() throws Exception {
        super.close();
        if (capture != null) {
            capture.close();
        }
    }
}
