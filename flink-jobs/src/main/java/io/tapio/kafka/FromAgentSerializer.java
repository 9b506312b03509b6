package io.tapio.kafka;

import io.tapio.ebpf.types.ImmutableTypeSerializer;
import io.tapio.ebpf.types.SerializerTypeInfo;
import io.tapio.model.types.EnrichedEventSerializer;
import java.io.IOException;
import java.io.Serial;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer for {@link FromAgent}: a tag, then an event (the enriched event's own
 * serializer and its time) or a dead letter's fields. Events pass it only where the source is
 * not chained to the split that follows it. Like the enriched event's serializer, whose
 * workload caches it holds, an instance serves one thread: {@link #duplicate()} makes another.
 */
public final class FromAgentSerializer extends ImmutableTypeSerializer<FromAgent> {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final SerializerTypeInfo<FromAgent> TYPE =
            new SerializerTypeInfo<>(FromAgent.class, new FromAgentSerializer());
    private static final int EVENT = 0;
    private static final int DEAD_LETTER = 1;

    private final EnrichedEventSerializer events = new EnrichedEventSerializer();

    @Override
    public TypeSerializer<FromAgent> duplicate() {
        return new FromAgentSerializer();
    }

    @Override
    public void serialize(FromAgent record, DataOutputView out) throws IOException {
        switch (record) {
            case FromAgent.Event event -> {
                out.writeByte(EVENT);
                events.serialize(event.enriched(), out);
                out.writeLong(event.epochMillis());
            }
            case FromAgent.DeadLetter letter -> {
                out.writeByte(DEAD_LETTER);
                out.writeUTF(letter.topic());
                out.writeInt(letter.partition());
                out.writeLong(letter.offset());
                writeBytes(letter.key(), out);
                writeBytes(letter.value(), out);
                out.writeUTF(letter.problem().name());
                out.writeUTF(letter.reason());
            }
        }
    }

    @Override
    public FromAgent deserialize(DataInputView in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case EVENT -> new FromAgent.Event(events.deserialize(in), in.readLong());
            case DEAD_LETTER ->
                new FromAgent.DeadLetter(
                        in.readUTF(),
                        in.readInt(),
                        in.readLong(),
                        readBytes(in),
                        readBytes(in),
                        UndecodableBatchException.Problem.valueOf(in.readUTF()),
                        in.readUTF());
            default -> throw new IOException("unknown record tag " + tag);
        };
    }

    private static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    @Override
    public TypeSerializerSnapshot<FromAgent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration: the format is this class's. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FromAgent> {
        public Snapshot() {
            super(FromAgentSerializer::new);
        }
    }
}
