package io.tapio.kafka;

import io.tapio.model.Workload;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A workload identity in a node agent's batch (see {@link AgentBatchFormat}). The kind is
 * written by name, so that the wire format does not depend on the enum's order.
 */
final class WorkloadCodec {
    private WorkloadCodec() {}

    static void write(Workload w, DataOutput out) throws IOException {
        out.writeUTF(w.kind().name());
        out.writeLong(w.cgroupId());
        for (String field : new String[] {
            w.node(),
            w.cgroupPath(),
            w.namespace(),
            w.pod(),
            w.podUid(),
            w.container(),
            w.containerId(),
            w.runtime(),
            w.image(),
            w.qosClass(),
            w.ownerKind(),
            w.ownerName(),
            w.unit()
        }) {
            out.writeUTF(field);
        }
        out.writeShort(w.labels().size());
        for (Map.Entry<String, String> label : w.labels().entrySet()) {
            out.writeUTF(label.getKey());
            out.writeUTF(label.getValue());
        }
    }

    /** @throws IllegalArgumentException when the kind is not one this version knows */
    static Workload read(DataInput in) throws IOException {
        Workload.Kind kind = Workload.Kind.valueOf(in.readUTF());
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
        Map<String, String> labels = new HashMap<>(labelCount * 2);
        for (int i = 0; i < labelCount; i++) {
            labels.put(in.readUTF(), in.readUTF());
        }
        return new Workload(
                kind,
                node,
                cgroupId,
                cgroupPath,
                namespace,
                pod,
                podUid,
                container,
                containerId,
                runtime,
                image,
                qosClass,
                ownerKind,
                ownerName,
                unit,
                labels);
    }
}
