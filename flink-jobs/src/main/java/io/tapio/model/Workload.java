package io.tapio.model;

import java.io.Serial;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Who an event belongs to: a pod's container (with its owning workload, when the Kubernetes
 * API is reachable), or a process outside any pod (a systemd unit, or just a cgroup on the
 * node). Immutable; built from the parts below, each {@code NONE} where it does not apply.
 *
 * @param kind what the identity rests on
 * @param cgroup where the kernel saw the event: the node, and the cgroup the kernel reported
 * @param pod the pod, for {@link Kind#POD} and {@link Kind#POD_UNRESOLVED} (the latter knows its uid only)
 * @param container the container in the pod, as far as it is known
 * @param owner the workload that owns the pod (its controller, followed to the top)
 * @param unit the systemd unit of a host process (e.g. {@code sshd.service}); "" otherwise
 */
public record Workload(Kind kind, Cgroup cgroup, Pod pod, Container container, Owner owner, String unit)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

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

    /**
     * @param node the node the event happened on
     * @param id the cgroup v2 id the kernel reported
     * @param path the cgroup's path in the unified hierarchy, or "" when unknown
     */
    public record Cgroup(String node, long id, String path) implements Serializable {
        public Cgroup {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * @param name "" before the API answered
     * @param uid from the cgroup path
     * @param qosClass Guaranteed, Burstable or BestEffort
     */
    public record Pod(String namespace, String name, String uid, String qosClass, Map<String, String> labels)
            implements Serializable {
        public static final Pod NONE = new Pod("", "", "", "", Map.of());

        public Pod {
            labels = Map.copyOf(labels);
        }

        /** A pod known from its cgroup path only. */
        public static Pod fromPath(String uid, String qosClass) {
            return new Pod("", "", uid, qosClass, Map.of());
        }
    }

    /**
     * @param name the container's name in the pod spec; "" when unknown
     * @param id the container runtime's id, from the cgroup path; "" for the pod's own cgroup
     * @param runtime containerd, cri-o or docker
     */
    public record Container(String name, String id, String runtime, String image) implements Serializable {
        public static final Container NONE = new Container("", "", "", "");

        /** A container known from its cgroup path only. */
        public static Container fromPath(String id, String runtime) {
            return new Container("", id, runtime, "");
        }
    }

    /** @param kind Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet; "" for a bare pod */
    public record Owner(String kind, String name) implements Serializable {
        public static final Owner NONE = new Owner("", "");
    }

    public Workload {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cgroup, "cgroup");
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(unit, "unit");
    }

    /** A process of the node known only by its cgroup. */
    public static Workload host(Cgroup cgroup) {
        return new Workload(Kind.HOST, cgroup, Pod.NONE, Container.NONE, Owner.NONE, "");
    }

    /** A process of a systemd unit on the node, e.g. {@code sshd.service}. */
    public static Workload systemdUnit(Cgroup cgroup, String unit) {
        return new Workload(Kind.SYSTEMD_UNIT, cgroup, Pod.NONE, Container.NONE, Owner.NONE, unit);
    }

    /** A container of a pod known only from its cgroup path (the container is NONE for the pod's own cgroup). */
    public static Workload podFromPath(Cgroup cgroup, Pod pod, Container container) {
        return new Workload(Kind.POD_UNRESOLVED, cgroup, pod, container, Owner.NONE, "");
    }

    /**
     * This identity completed with what the Kubernetes API says about its pod: a {@link Kind#POD}.
     * The API's runtime and QoS class win over what the path suggested; blanks keep the path's.
     */
    public Workload describedBy(Pod described, Container named, Owner owner) {
        Pod merged = new Pod(
                described.namespace(),
                described.name(),
                pod.uid(),
                described.qosClass().isEmpty() ? pod.qosClass() : described.qosClass(),
                described.labels());
        Container completed = new Container(
                named.name(),
                container.id(),
                named.runtime().isEmpty() ? container.runtime() : named.runtime(),
                named.image());
        return new Workload(Kind.POD, cgroup, merged, completed, owner, unit);
    }

    /** The node the event happened on. */
    public String node() {
        return cgroup.node();
    }

    /**
     * What findings and rollups are keyed by: the owning workload for pods (so that restarts
     * and replicas are one workload), else the pod, the unit, or the cgroup, always on its node.
     */
    public String key() {
        return switch (kind) {
            case POD ->
                owner.name().isEmpty()
                        ? pod.namespace() + "/pod/" + pod.name()
                        : pod.namespace() + "/" + owner.kind().toLowerCase(Locale.ROOT) + "/" + owner.name();
            case POD_UNRESOLVED -> "pod-uid/" + pod.uid();
            case SYSTEMD_UNIT -> node() + "/unit/" + unit;
            case HOST -> node() + "/cgroup/" + (cgroup.path().isEmpty() ? Long.toString(cgroup.id()) : cgroup.path());
        };
    }

    /** How a person names it: {@code payments/checkout-7f9c (container api, Deployment checkout)}. */
    public String displayName() {
        return switch (kind) {
            case POD ->
                pod.namespace() + "/" + pod.name()
                        + (container.name().isEmpty() ? "" : ", container " + container.name())
                        + (owner.name().isEmpty() ? "" : ", " + owner.kind() + " " + owner.name());
            case POD_UNRESOLVED -> "pod " + pod.uid() + " on " + node() + " (not yet known to the API)";
            case SYSTEMD_UNIT -> unit + " on " + node();
            case HOST -> (cgroup.path().isEmpty() ? "cgroup " + cgroup.id() : cgroup.path()) + " on " + node();
        };
    }
}
