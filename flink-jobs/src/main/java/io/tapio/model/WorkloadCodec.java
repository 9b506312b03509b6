package io.tapio.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The one wire form of a {@link Workload}: in a node agent's batch (Kafka) and in the job's
 * event stream (Flink's serializer). The kind is written by name, so that the form does not
 * depend on the enum's order; then each part's fields in order, strings as modified UTF-8.
 */
public final class WorkloadCodec {
    /** The fewest bytes a workload takes: the kind, 13 strings, the cgroup id and the label count. */
    public static final int MIN_BYTES = 14 * Short.BYTES + Long.BYTES + Short.BYTES;

    private WorkloadCodec() {}

    public static void write(Workload w, DataOutput out) throws IOException {
        out.writeUTF(w.kind().name());
        Workload.Cgroup cgroup = w.cgroup();
        out.writeUTF(cgroup.node());
        out.writeLong(cgroup.id());
        out.writeUTF(cgroup.path());
        Workload.Pod pod = w.pod();
        out.writeUTF(pod.namespace());
        out.writeUTF(pod.name());
        out.writeUTF(pod.uid());
        out.writeUTF(pod.qosClass());
        out.writeShort(pod.labels().size());
        for (Map.Entry<String, String> label : pod.labels().entrySet()) {
            out.writeUTF(label.getKey());
            out.writeUTF(label.getValue());
        }
        Workload.Container container = w.container();
        out.writeUTF(container.name());
        out.writeUTF(container.id());
        out.writeUTF(container.runtime());
        out.writeUTF(container.image());
        out.writeUTF(w.owner().kind());
        out.writeUTF(w.owner().name());
        out.writeUTF(w.unit());
    }

    /** @throws IllegalArgumentException when the kind is not one this version knows */
    public static Workload read(DataInput in) throws IOException {
        Workload.Kind kind = Workload.Kind.valueOf(in.readUTF());
        Workload.Cgroup cgroup = new Workload.Cgroup(in.readUTF(), in.readLong(), in.readUTF());
        String namespace = in.readUTF();
        String name = in.readUTF();
        String uid = in.readUTF();
        String qosClass = in.readUTF();
        int labelCount = in.readUnsignedShort();
        Map<String, String> labels = new HashMap<>(); // grows with the labels read, not with the count claimed
        for (int i = 0; i < labelCount; i++) {
            labels.put(in.readUTF(), in.readUTF());
        }
        Workload.Pod pod = new Workload.Pod(namespace, name, uid, qosClass, labels);
        Workload.Container container = new Workload.Container(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
        Workload.Owner owner = new Workload.Owner(in.readUTF(), in.readUTF());
        return new Workload(kind, cgroup, pod, container, owner, in.readUTF());
    }
}
