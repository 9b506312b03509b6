package io.tapio.model.types;

import io.tapio.ebpf.event.KernelEvent;
import io.tapio.ebpf.source.KernelEventSerializer;
import io.tapio.ebpf.source.SerializerTypeInfo;
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

/** The event stream's serializer: the kernel record's bytes, then the workload's fields. */
public final class EnrichedEventSerializer extends TypeSerializerSingleton<EnrichedEvent> {
    public static final EnrichedEventSerializer INSTANCE = new EnrichedEventSerializer();
    public static final SerializerTypeInfo<EnrichedEvent> TYPE = new SerializerTypeInfo<>(EnrichedEvent.class,
            INSTANCE);

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
    public void serialize(EnrichedEvent e, DataOutputView out) throws IOException {
        KernelEventSerializer.INSTANCE.serialize(e.event(), out);
        Workload w = e.workload();
        out.writeByte(w.kind().ordinal());
        out.writeLong(w.cgroupId());
        for (String field : new String[] {w.node(), w.cgroupPath(), w.namespace(), w.pod(), w.podUid(), w.container(),
                w.containerId(), w.runtime(), w.image(), w.qosClass(), w.ownerKind(), w.ownerName(), w.unit()}) {
            out.writeUTF(field);
        }
        out.writeShort(w.labels().size());
        for (Map.Entry<String, String> label : w.labels().entrySet()) {
            out.writeUTF(label.getKey());
            out.writeUTF(label.getValue());
        }
    }

    @Override
    public EnrichedEvent deserialize(DataInputView in) throws IOException {
        KernelEvent event = KernelEventSerializer.INSTANCE.deserialize(in);
        Workload.Kind kind = Workload.Kind.values()[in.readByte()];
        long cgroupId = in.readLong();
        String node = in.readUTF();
        String cgroupPath = in.readUTF();
        String namespace = in.readUTF();
        String pod = in.readUTF();
        String podUid = in.readUTF();
        String container = in.readUTF();
        String containerId = in.readUTF();
        String runtime = in.readUTF();
        String image = in.readUTF();
        String qosClass = in.readUTF();
        String ownerKind = in.readUTF();
        String ownerName = in.readUTF();
        String unit = in.readUTF();
        int labelCount = in.readUnsignedShort();
        Map<String, String> labels = new HashMap<>(labelCount);
        for (int i = 0; i < labelCount; i++) {
            labels.put(in.readUTF(), in.readUTF());
        }
        return new EnrichedEvent(event, new Workload(kind, node, cgroupId, cgroupPath, namespace, pod, podUid,
                container, containerId, runtime, image, qosClass, ownerKind, ownerName, unit, labels));
    }

    @Override
    public EnrichedEvent deserialize(EnrichedEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<EnrichedEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration: the format is this class's. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EnrichedEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
