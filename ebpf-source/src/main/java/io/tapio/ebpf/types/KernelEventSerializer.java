package io.tapio.ebpf.types;

import io.tapio.ebpf.abi.KernelEvent;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer for {@link KernelEvent}: the record's length, then its bytes exactly as
 * the kernel wrote them. No Kryo, no reflection; an event is immutable, so a copy is the
 * event itself.
 */
public final class KernelEventSerializer extends ImmutableTypeSerializer<KernelEvent> {
    public static final KernelEventSerializer INSTANCE = new KernelEventSerializer();
    /** The Flink type of kernel events, serialized by this. */
    public static final SerializerTypeInfo<KernelEvent> TYPE = new SerializerTypeInfo<>(KernelEvent.class, INSTANCE);

    private KernelEventSerializer() {}

    /** It keeps no state: the one instance serves every thread. */
    @Override
    public KernelEventSerializer duplicate() {
        return this;
    }

    @Override
    public void serialize(KernelEvent event, DataOutputView target) throws IOException {
        target.writeShort(event.size());
        event.writeTo(target);
    }

    @Override
    public KernelEvent deserialize(DataInputView source) throws IOException {
        byte[] record = new byte[source.readUnsignedShort()];
        source.readFully(record);
        return KernelEvent.of(record);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readUnsignedShort();
        target.writeShort(length);
        target.write(source, length);
    }

    @Override
    public TypeSerializerSnapshot<KernelEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: the ABI version is in every record. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KernelEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
