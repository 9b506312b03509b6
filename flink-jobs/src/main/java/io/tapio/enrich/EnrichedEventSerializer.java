package io.tapio.enrich;

import io.tapio.ebpf.source.KernelEventSerializer;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer for {@link EnrichedEvent}: the kernel's record as {@link KernelEventSerializer}
 * writes it, then the workload's fields in declaration order, labels last. Both parts are
 * immutable, so a copy is the event itself.
 */
public final class EnrichedEventSerializer extends TypeSerializerSingleton<EnrichedEvent> {
    public static final EnrichedEventSerializer INSTANCE = new EnrichedEventSerializer();
    private static final Workload.Kind[] KINDS = Workload.Kind.values();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public EnrichedEvent createInstance() {
        return null;
    }

    @Override
    public EnrichedEvent copy(EnrichedEvent from) {
        return from;
    }

    @Override
    public EnrichedEvent copy(EnrichedEvent from, EnrichedEvent reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(EnrichedEvent enriched, DataOutputView target) throws IOException {
        KernelEventSerializer.INSTANCE.serialize(enriched.event(), target);
        Workload w = enriched.workload();
        target.writeByte(w.kind().ordinal());
        target.writeLong(w.cgroupId());
        for (String field : new String[] {w.node(), w.cgroupPath(), w.namespace(), w.pod(), w.podUid(), w.container(),
                w.containerId(), w.runtime(), w.image(), w.qosClass(), w.ownerKind(), w.ownerName(), w.unit()}) {
            target.writeUTF(field);
        }
        target.writeInt(w.labels().size());
        for (Map.Entry<String, String> label : w.labels().entrySet()) {
            target.writeUTF(label.getKey());
            target.writeUTF(label.getValue());
        }
    }

    @Override
    public EnrichedEvent deserialize(DataInputView source) throws IOException {
        var event = KernelEventSerializer.INSTANCE.deserialize(source);
        Workload.Kind kind = KINDS[source.readUnsignedByte()];
        long cgroupId = source.readLong();
        String node = source.readUTF();
        String cgroupPath = source.readUTF();
        String namespace = source.readUTF();
        String pod = source.readUTF();
        String podUid = source.readUTF();
        String container = source.readUTF();
        String containerId = source.readUTF();
        String runtime = source.readUTF();
        String image = source.readUTF();
        String qosClass = source.readUTF();
        String ownerKind = source.readUTF();
        String ownerName = source.readUTF();
        String unit = source.readUTF();
        int labelCount = source.readInt();
        Map<String, String> labels = HashMap.newHashMap(labelCount);
        for (int i = 0; i < labelCount; i++) {
            labels.put(source.readUTF(), source.readUTF());
        }
        return new EnrichedEvent(event, new Workload(kind, node, cgroupId, cgroupPath, namespace, pod, podUid, container,
                containerId, runtime, image, qosClass, ownerKind, ownerName, unit, labels));
    }

    @Override
    public EnrichedEvent deserialize(EnrichedEvent reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<EnrichedEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EnrichedEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
