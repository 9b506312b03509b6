package io.tapio.correlate;

import io.tapio.ebpf.types.ImmutableTypeSerializer;
import io.tapio.ebpf.types.SerializerTypeInfo;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.types.EnrichedEventSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * An event that waited in a key's batch, with its event time (epoch millis), as versions before
 * {@link KeyedBatches} kept it in keyed state: its serializer reads their checkpoints
 * ({@link RestoredWaiting}). The class names are in those checkpoints and must not change.
 */
record TimedEvent(long epochMillis, EnrichedEvent event) {
    static final SerializerTypeInfo<TimedEvent> TYPE = new SerializerTypeInfo<>(TimedEvent.class, new Serializer());

    /** The time, then the event. */
    static final class Serializer extends ImmutableTypeSerializer<TimedEvent> {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private final EnrichedEventSerializer events = new EnrichedEventSerializer();

        @Override
        public TypeSerializer<TimedEvent> duplicate() {
            return new Serializer();
        }

        @Override
        public void serialize(TimedEvent record, DataOutputView out) throws IOException {
            out.writeLong(record.epochMillis());
            events.serialize(record.event(), out);
        }

        @Override
        public TimedEvent deserialize(DataInputView in) throws IOException {
            return new TimedEvent(in.readLong(), events.deserialize(in));
        }

        @Override
        public TypeSerializerSnapshot<TimedEvent> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** No configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TimedEvent> {
        public Snapshot() {
            super(Serializer::new);
        }
    }
}
