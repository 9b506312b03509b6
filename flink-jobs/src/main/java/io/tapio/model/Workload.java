package io.tapio.model;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * Who an event belongs to: a pod's container (with its owning workload, when the
 * Kubernetes API is reachable), or a process outside any pod (a systemd unit, or just a
 * cgroup on the node). Immutable.
 *
 * @param kind what the identity rests on
 * @param node the node the event happened on
 * @param cgroupId the cgroup v2 id the kernel reported
 * @param cgroupPath the cgroup's path in the unified hierarchy, or "" when unknown
 * @param namespace the pod's namespace; "" outside pods
 * @param pod the pod's name; "" outside pods or before the API answered
 * @param podUid the pod's uid, from the cgroup path
 * @param container the container's name in the pod spec; "" when unknown
 * @param containerId the container runtime's id, from the cgroup path
 * @param runtime containerd, cri-o or docker; "" outside containers
 * @param image the container's image; "" when unknown
 * @param qosClass Guaranteed, Burstable or BestEffort; "" outside pods
 * @param ownerKind Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet, or "" for a bare pod
 * @param ownerName the owner's name
 * @param unit the systemd unit for host processes (e.g. {@code sshd.service}); "" otherwise
 * @param labels the pod's labels
 */
public record Workload(
        Kind kind,
        String node,
        long cgroupId,
        String cgroupPath,
        String namespace,
        String pod,
        String podUid,
        String container,
        String containerId,
        String runtime,
        String image,
        String qosClass,
        String ownerKind,
        String ownerName,
        String unit,
        Map<String, String> labels)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What a workload identity rests on. */
    public enum Kind {
        /** A container of a pod the Kubernetes API described. */
        POD,
        /** A container of a pod the path names, which the API has not (yet) described. */
        POD_UNRESOLVED,
        /** A process of a systemd unit on the node. */
        SYSTEMD_UNIT,
        /** Any other process on the node, known by its cgroup. */
        HOST
    }

    public Workload {
        Objects.requireNonNull(kind, "kind");
        labels = Map.copyOf(labels);
    }

    /** A process of the node known only by its cgroup. */
    public static Workload host(String node, long cgroupId, String cgroupPath) {
        return new Workload(
                Kind.HOST, node, cgroupId, cgroupPath, "", "", "", "", "", "", "", "", "", "", "", Map.of());
    }

    /** A process of a systemd unit on the node, e.g. {@code sshd.service}. */
    public static Workload systemdUnit(String node, long cgroupId, String cgroupPath, String unit) {
        return new Workload(
                Kind.SYSTEMD_UNIT, node, cgroupId, cgroupPath, "", "", "", "", "", "", "", "", "", "", unit, Map.of());
    }

    /**
     * A container of a pod known only from its cgroup path: the pod's uid and QoS class, and
     * the container's runtime and id where the path names them ("" for the pod's own cgroup).
     */
    public static Workload podFromPath(
            String node,
            long cgroupId,
            String cgroupPath,
            String podUid,
            String containerId,
            String runtime,
            String qosClass) {
        return new Workload(
                Kind.POD_UNRESOLVED,
                node,
                cgroupId,
                cgroupPath,
                "",
                "",
                podUid,
                "",
                containerId,
                runtime,
                "",
                qosClass,
                "",
                "",
                "",
                Map.of());
    }

    /**
     * This identity completed with what the Kubernetes API says about its pod: a {@link Kind#POD}.
     * The API's runtime and QoS class win over what the path suggested; blanks keep the path's.
     */
    public Workload describedBy(
            String namespace,
            String pod,
            String container,
            String image,
            String runtime,
            String qosClass,
            String ownerKind,
            String ownerName,
            Map<String, String> labels) {
        return new Workload(
                Kind.POD,
                node,
                cgroupId,
                cgroupPath,
                namespace,
                pod,
                podUid,
                container,
                containerId,
                runtime.isEmpty() ? this.runtime : runtime,
                image,
                qosClass.isEmpty() ? this.qosClass : qosClass,
                ownerKind,
                ownerName,
                unit,
                labels);
    }

    /**
     * What findings and rollups are keyed by: the owning workload for pods (so that restarts
     * and replicas are one workload), else the pod, the unit, or the cgroup, always on its node.
     */
    public String key() {
        return switch (kind) {
            case POD ->
                ownerName.isEmpty()
                        ? namespace + "/pod/" + pod
                        : namespace + "/" + ownerKind.toLowerCase(java.util.Locale.ROOT) + "/" + ownerName;
            case POD_UNRESOLVED -> "pod-uid/" + podUid;
            case SYSTEMD_UNIT -> node + "/unit/" + unit;
            case HOST -> node + "/cgroup/" + (cgroupPath.isEmpty() ? Long.toString(cgroupId) : cgroupPath);
        };
    }

    /** How a person names it: {@code payments/checkout-7f9c (container api, Deployment checkout)}. */
    public String displayName() {
        return switch (kind) {
            case POD ->
                namespace + "/" + pod + (container.isEmpty() ? "" : ", container " + container)
                        + (ownerName.isEmpty() ? "" : ", " + ownerKind + " " + ownerName);
            case POD_UNRESOLVED -> "pod " + podUid + " on " + node + " (not yet known to the API)";
            case SYSTEMD_UNIT -> unit + " on " + node;
            case HOST -> (cgroupPath.isEmpty() ? "cgroup " + cgroupId : cgroupPath) + " on " + node;
        };
    }
}
