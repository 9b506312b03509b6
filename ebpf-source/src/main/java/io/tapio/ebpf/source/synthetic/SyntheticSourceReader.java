package io.tapio.ebpf.source.synthetic;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.node.KernelClock;
import io.tapio.ebpf.source.PacedSourceReader;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/**
 * Generates the split's events a slice of time at a time: paced in real time, or on virtual
 * time as fast as downstream takes the events.
 */
final class SyntheticSourceReader extends PacedSourceReader<SyntheticSplit> {
    /** How much (real or virtual) time one call generates at most. */
    private static final long SLICE_NANOS = 1_000_000L;
    /**
     * The shortest wait for the next event: waking for each event at a high rate would cost
     * more than generating it, so events due within this are handed over together.
     */
    private static final long MIN_WAIT_NANOS = 200_000L;

    private final SyntheticConfig config;
    private final long maxEvents;
    private final boolean paced;
    private final KernelClock clock = KernelClock.local();
    private final Deque<KernelEvent> buffer = new ArrayDeque<>();
    private SyntheticSplit split;
    private SyntheticEventGenerator generator;
    private long emitted;

    SyntheticSourceReader(SourceReaderContext context, SyntheticConfig config, long maxEvents, boolean paced) {
        super(context, "tapio-synthetic-pacing");
        this.config = config;
        this.maxEvents = maxEvents;
        this.paced = paced;
    }

    @Override
    public void addSplits(List<SyntheticSplit> splits) {
        split = splits.getFirst();
        long start = split.startTimestampNs() == 0 ? System.nanoTime() : split.startTimestampNs();
        generator = new SyntheticEventGenerator(config, start);
        // On virtual time the sequence is the same as before the checkpoint: skip what was emitted.
        // Paced, events are this machine's clock now and go on from now: skipping would put the
        // generator as far ahead of the clock as the earlier run ran, and it would wait that long.
        for (long skipped = 0; !paced && skipped < split.emitted(); skipped++) {
            nextEvent(Long.MAX_VALUE);
        }
        emitted = split.emitted();
        signal();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<KernelEvent> output) {
        if (generator == null) {
            return withoutSplit();
        }
        long now = System.nanoTime();
        long until = (paced ? now : generator.nextTimestampNs()) + (paced ? 0 : SLICE_NANOS);
        long sliceEnd = Math.min(until, generator.nextTimestampNs() + SLICE_NANOS);
        KernelEvent event;
        while (emitted < maxEvents && (event = nextEvent(sliceEnd)) != null) {
            output.collect(event, clock.epochMillis(event.timestampNs()));
            emitted++;
        }
        if (emitted >= maxEvents) {
            generator = null;
            context.sendSplitRequest();
            return InputStatus.MORE_AVAILABLE;
        }
        long due = generator.nextTimestampNs() - System.nanoTime();
        if (paced && buffer.isEmpty() && due > 0) {
            return dueIn(Math.max(due, MIN_WAIT_NANOS));
        }
        return InputStatus.MORE_AVAILABLE;
    }

    /** The next event up to {@code until}, or null when none is due by then. */
    private KernelEvent nextEvent(long until) {
        if (buffer.isEmpty()) {
            buffer.addAll(generator.next(Math.min(until, generator.nextTimestampNs() + SLICE_NANOS)));
        }
        return buffer.poll();
    }

    @Override
    public List<SyntheticSplit> snapshotState(long checkpointId) {
        return generator == null ? List.of() : List.of(new SyntheticSplit(split.startTimestampNs(), emitted));
    }
}
