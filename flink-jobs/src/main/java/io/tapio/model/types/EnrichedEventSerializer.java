package io.tapio.model.types;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.types.ImmutableTypeSerializer;
import io.tapio.ebpf.types.KernelEventSerializer;
import io.tapio.ebpf.types.SerializerTypeInfo;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import io.tapio.model.WorkloadCodec;
import java.io.IOException;
import java.io.Serial;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The event stream's serializer: the kernel record's bytes, then the workload, as a
 * length-prefixed block. A workload is the same for every event of its cgroup, so each
 * instance keeps its last few workloads' blocks both ways: writing one is a copy, and reading
 * one returns the workload already decoded instead of building its strings again. That is
 * per-instance state, which is why {@link #duplicate()} makes a new instance. A workload the
 * full cache forgets is counted, for all instances of the JVM together:
 * {@code tapio_workload_codec_evictions_total{direction=encode|decode}}.
 */
public final class EnrichedEventSerializer extends ImmutableTypeSerializer<EnrichedEvent> {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final int CACHED = 1024;

    private static final LongAdder ENCODE_EVICTIONS = evictions("encode");
    private static final LongAdder DECODE_EVICTIONS = evictions("decode");

    public static final SerializerTypeInfo<EnrichedEvent> TYPE =
            new SerializerTypeInfo<>(EnrichedEvent.class, new EnrichedEventSerializer());

    private transient Map<Workload, byte[]> encoded;
    private transient Map<Block, Workload> decoded;
    private transient DataOutputSerializer scratch;
    /** The last workload each way: a node's busiest workload sends most events in a row. */
    private transient Workload lastWorkload;

    private transient byte[] lastEncoded;
    private transient Block lastDecoded;
    private transient Workload lastDecodedWorkload;

    @Override
    public TypeSerializer<EnrichedEvent> duplicate() {
        return new EnrichedEventSerializer();
    }

    @Override
    public void serialize(EnrichedEvent e, DataOutputView out) throws IOException {
        KernelEventSerializer.INSTANCE.serialize(e.event(), out);
        if (e.workload() != lastWorkload) {
            byte[] workload = encoded().get(e.workload());
            if (workload == null) {
                workload = encode(e.workload());
                encoded().put(e.workload(), workload);
            }
            lastWorkload = e.workload();
            lastEncoded = workload;
        }
        out.writeInt(lastEncoded.length);
        out.write(lastEncoded);
    }

    @Override
    public EnrichedEvent deserialize(DataInputView in) throws IOException {
        KernelEvent event = KernelEventSerializer.INSTANCE.deserialize(in);
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        if (lastDecoded == null || !Arrays.equals(bytes, lastDecoded.bytes())) {
            Block block = new Block(bytes);
            Workload workload = decoded().get(block);
            if (workload == null) {
                workload = decode(bytes);
                decoded().put(block, workload);
            }
            lastDecoded = block;
            lastDecodedWorkload = workload;
        }
        return new EnrichedEvent(event, lastDecodedWorkload);
    }

    /** An encoded workload as a map key; arrays hash and compare with the JDK's vectorized loops. */
    private record Block(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Block other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        KernelEventSerializer.INSTANCE.copy(in, out);
        int length = in.readInt();
        out.writeInt(length);
        out.write(in, length);
    }

    private byte[] encode(Workload w) throws IOException {
        if (scratch == null) {
            scratch = new DataOutputSerializer(256);
        }
        scratch.clear();
        WorkloadCodec.write(w, scratch);
        return scratch.getCopyOfBuffer();
    }

    private static Workload decode(byte[] block) throws IOException {
        return WorkloadCodec.read(new DataInputDeserializer(block));
    }

    private Map<Workload, byte[]> encoded() {
        if (encoded == null) {
            encoded = lru(ENCODE_EVICTIONS);
        }
        return encoded;
    }

    private Map<Block, Workload> decoded() {
        if (decoded == null) {
            decoded = lru(DECODE_EVICTIONS);
        }
        return decoded;
    }

    private static <K, V> Map<K, V> lru(LongAdder evictions) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() <= CACHED) {
                    return false;
                }
                evictions.increment();
                return true;
            }
        };
    }

    private static LongAdder evictions(String direction) {
        LongAdder evicted = new LongAdder();
        FunctionCounter.builder(MetricNames.WORKLOAD_CODEC_EVICTIONS, evicted, LongAdder::sum)
                .tag("direction", direction)
                .description("Workloads the event serializer's cache forgot to make room")
                .register(Metrics.globalRegistry);
        return evicted;
    }

    @Override
    public TypeSerializerSnapshot<EnrichedEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration: the format is this class's. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EnrichedEvent> {
        public Snapshot() {
            super(EnrichedEventSerializer::new);
        }
    }
}
