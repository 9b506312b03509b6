package io.tapio.enrich;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tapio.ebpf.abi.SafeText;
import io.tapio.model.Workload.Owner;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload a pod belongs to, followed through its controllers: a ReplicaSet's Deployment,
 * a Job's CronJob; StatefulSets, DaemonSets and other controllers own their pods directly.
 *
 * <p>ReplicaSets and Jobs are read one by one when a pod names them, not watched: their
 * owners never change, so one read per ReplicaSet (cached) costs the API far less than every
 * node watching every ReplicaSet of the cluster. Where reading is refused, a ReplicaSet named
 * {@code <deployment>-<pod-template-hash>} is still attributed to its Deployment.
 */
final class OwnerChain {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerChain.class);
    private static final int MAX_CACHED = 4096;

    private final KubernetesClient client;
    private final Map<String, Owner> parents = new ConcurrentHashMap<>();
    private final AtomicBoolean warned = new AtomicBoolean();

    OwnerChain(KubernetesClient client) {
        this.client = client;
    }

    Owner of(Pod pod) {
        OwnerReference controller = controller(pod.getMetadata().getOwnerReferences());
        if (controller == null) {
            return Owner.NONE;
        }
        String namespace = pod.getMetadata().getNamespace();
        String name = controller.getName();
        return switch (controller.getKind()) {
            case "ReplicaSet" ->
                parent(
                        namespace,
                        "ReplicaSet",
                        name,
                        () -> client.apps()
                                .replicaSets()
                                .inNamespace(namespace)
                                .withName(name)
                                .get(),
                        () -> deploymentByName(pod, name));
            case "Job" ->
                parent(
                        namespace,
                        "Job",
                        name,
                        () -> client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(namespace)
                                .withName(name)
                                .get(),
                        () -> new Owner("Job", name));
            case "Node" -> Owner.NONE; // a static pod's mirror: the pod is the workload
            default -> new Owner(controller.getKind(), name);
        };
    }

    /** The owner of the ReplicaSet or Job, or the object itself when nothing owns it. */
    private Owner parent(
            String namespace, String kind, String name, Supplier<HasMetadata> read, Supplier<Owner> unreadable) {
        String key = namespace + "/" + kind + "/" + name;
        Owner cached = parents.get(key);
        if (cached != null) {
            return cached;
        }
        HasMetadata object;
        try {
            object = read.get();
        } catch (KubernetesClientException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn(
                        "Cannot read {} {} to find its owner ({}); workloads are named from the pods' own "
                                + "owner references (RBAC: allow get on replicasets and jobs)",
                        SafeText.of(kind),
                        SafeText.of(key),
                        SafeText.of(e.getMessage()));
            }
            return unreadable.get();
        }
        if (object == null) {
            return unreadable.get(); // deleted meanwhile (a finished Job's pod outlives it)
        }
        OwnerReference owner = controller(object.getMetadata().getOwnerReferences());
        Owner parent = owner == null ? new Owner(kind, name) : new Owner(owner.getKind(), owner.getName());
        if (parents.size() >= MAX_CACHED) {
            parents.clear();
        }
        parents.put(key, parent);
        return parent;
    }

    /** Deployments name their ReplicaSets {@code <deployment>-<pod-template-hash>}. */
    private static Owner deploymentByName(Pod pod, String replicaSet) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String hash = labels == null ? null : labels.get("pod-template-hash");
        return hash != null && replicaSet.endsWith("-" + hash)
                ? new Owner("Deployment", replicaSet.substring(0, replicaSet.length() - hash.length() - 1))
                : new Owner("ReplicaSet", replicaSet);
    }

    /** The reference marked as the controller, else the first. */
    private static OwnerReference controller(List<OwnerReference> references) {
        if (references == null || references.isEmpty()) {
            return null;
        }
        return references.stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()))
                .findFirst()
                .orElse(references.getFirst());
    }
}
