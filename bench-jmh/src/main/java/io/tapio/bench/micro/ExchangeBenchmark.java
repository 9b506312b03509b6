package io.tapio.bench.micro;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.types.KernelEventSerializer;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.types.EnrichedEventSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Flink's serializers of the event stream, one event each way: {@link KernelEventSerializer}
 * (the source's output, and the events kept in state) and {@link EnrichedEventSerializer}
 * (the keyed exchange where there is one, the correlator's waiting batches). Events are
 * written into a reused buffer, as into a network buffer, and read from one buffer holding
 * them all back to back.
 */
@State(Scope.Thread)
public class ExchangeBenchmark {
    private EnrichedEvent[] events;
    private final DataOutputSerializer out = new DataOutputSerializer(4096);
    private final TypeSerializer<EnrichedEvent> enrichedWriter = EnrichedEventSerializer.TYPE.createSerializer(null);
    private final TypeSerializer<EnrichedEvent> enrichedReader = EnrichedEventSerializer.TYPE.createSerializer(null);
    private byte[] kernelStream;
    private byte[] enrichedStream;
    private final DataInputDeserializer kernelIn = new DataInputDeserializer();
    private final DataInputDeserializer enrichedIn = new DataInputDeserializer();
    private int next;

    @Setup(Level.Trial)
    public void serializeAll() throws IOException {
        try (SyntheticNode node = SyntheticNode.create()) {
            events = node.enriched();
        }
        DataOutputSerializer all = new DataOutputSerializer(1 << 20);
        for (EnrichedEvent e : events) {
            KernelEventSerializer.INSTANCE.serialize(e.event(), all);
        }
        kernelStream = all.getCopyOfBuffer();
        all.clear();
        TypeSerializer<EnrichedEvent> writer = EnrichedEventSerializer.TYPE.createSerializer(null);
        for (EnrichedEvent e : events) {
            writer.serialize(e, all);
        }
        enrichedStream = all.getCopyOfBuffer();
    }

    private EnrichedEvent nextEvent() {
        EnrichedEvent e = events[next];
        next = next + 1 == events.length ? 0 : next + 1;
        return e;
    }

    @Benchmark
    public int kernelEventOut() throws IOException {
        out.clear();
        KernelEventSerializer.INSTANCE.serialize(nextEvent().event(), out);
        return out.length();
    }

    @Benchmark
    public KernelEvent kernelEventIn() throws IOException {
        if (kernelIn.available() == 0) {
            kernelIn.setBuffer(kernelStream);
        }
        return KernelEventSerializer.INSTANCE.deserialize(kernelIn);
    }

    @Benchmark
    public int enrichedEventOut() throws IOException {
        out.clear();
        enrichedWriter.serialize(nextEvent(), out);
        return out.length();
    }

    @Benchmark
    public EnrichedEvent enrichedEventIn() throws IOException {
        if (enrichedIn.available() == 0) {
            enrichedIn.setBuffer(enrichedStream);
        }
        return enrichedReader.deserialize(enrichedIn);
    }
}
