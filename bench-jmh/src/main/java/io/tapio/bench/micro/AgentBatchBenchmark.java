package io.tapio.bench.micro;

import io.tapio.kafka.AgentBatch;
import io.tapio.kafka.AgentBatchReader;
import io.tapio.kafka.AgentBatchWriter;
import io.tapio.kafka.UndecodableBatchException;
import io.tapio.model.EnrichedEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Kafka path's codec, per event: a node agent adding events to its batches
 * ({@link AgentBatchWriter}, sealing each full one), and the job's source decoding whole
 * batches ({@link AgentBatchReader}). Batches as {@code tapio agent} makes them by default:
 * 2,000 events or 512 KiB.
 */
@State(Scope.Thread)
public class AgentBatchBenchmark {
    private static final int BATCH_EVENTS = 2_000;
    private static final int BATCH_BYTES = 512 * 1024;
    private static final long EPOCH_NANOS_AT_ZERO = 1_767_225_600_000_000_000L;

    private EnrichedEvent[] events;
    private AgentBatchWriter writer;
    private final List<byte[]> batches = new ArrayList<>();
    private int next;
    private int nextBatch;

    @Setup(Level.Trial)
    public void makeBatches() throws IOException {
        try (SyntheticNode node = SyntheticNode.create()) {
            events = node.enriched();
        }
        writer = new AgentBatchWriter(SyntheticNode.NODE, EPOCH_NANOS_AT_ZERO, BATCH_EVENTS, BATCH_BYTES);
        AgentBatchWriter all = new AgentBatchWriter(SyntheticNode.NODE, EPOCH_NANOS_AT_ZERO, BATCH_EVENTS, BATCH_BYTES);
        for (int i = 0; i + BATCH_EVENTS <= events.length; i += BATCH_EVENTS) {
            for (int j = i; j < i + BATCH_EVENTS; j++) {
                if (!all.add(events[j].event(), events[j].workload())) {
                    throw new IllegalStateException("a batch of " + BATCH_EVENTS + " events is over " + BATCH_BYTES);
                }
            }
            batches.add(all.seal());
        }
    }

    @Benchmark
    public int write() {
        EnrichedEvent e = events[next];
        next = next + 1 == events.length ? 0 : next + 1;
        if (!writer.add(e.event(), e.workload())) {
            int sealed = writer.seal().length;
            writer.add(e.event(), e.workload());
            return sealed;
        }
        return 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_EVENTS)
    public AgentBatch read() throws UndecodableBatchException {
        byte[] batch = batches.get(nextBatch);
        nextBatch = nextBatch + 1 == batches.size() ? 0 : nextBatch + 1;
        return AgentBatchReader.read(batch);
    }
}
