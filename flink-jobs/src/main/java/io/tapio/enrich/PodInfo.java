package io.tapio.enrich;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.tapio.model.Workload;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What the API says about one pod of this node, reduced to what events are named by.
 *
 * @param cgroupUid the uid in the pod's cgroup path: its uid, or for a static pod (whose API
 *                  object is a mirror kubelet creates after starting it) the hash of its manifest
 * @param containers by container runtime id, as the pod's status reports them once they started
 */
record PodInfo(
        String namespace,
        String name,
        String cgroupUid,
        String qosClass,
        Map<String, String> labels,
        Workload.Owner owner,
        Map<String, Workload.Container> containers) {
    /** The annotation by which a mirror pod names its static pod's hash. */
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    static PodInfo of(Pod pod, Workload.Owner owner) {
        PodSpec spec = Objects.requireNonNullElseGet(pod.getSpec(), PodSpec::new);
        PodStatus status = Objects.requireNonNullElseGet(pod.getStatus(), PodStatus::new);
        Map<String, String> images = new HashMap<>();
        Stream.concat(list(spec.getContainers()).stream(), list(spec.getInitContainers()).stream())
                .forEach((Container c) -> images.put(c.getName(), blank(c.getImage())));
        list(spec.getEphemeralContainers())
                .forEach((EphemeralContainer c) -> images.put(c.getName(), blank(c.getImage())));

        Map<String, Workload.Container> containers = new HashMap<>();
        Stream.of(
                        status.getContainerStatuses(),
                        status.getInitContainerStatuses(),
                        status.getEphemeralContainerStatuses())
                .flatMap(statuses -> list(statuses).stream())
                .forEach((ContainerStatus s) -> {
                    // "containerd://<id>", "cri-o://<id>", "docker://<id>"; empty until the container started
                    String containerId = blank(s.getContainerID());
                    int scheme = containerId.indexOf("://");
                    if (scheme > 0) {
                        String id = containerId.substring(scheme + 3);
                        containers.put(
                                id,
                                new Workload.Container(
                                        s.getName(),
                                        id,
                                        containerId.substring(0, scheme),
                                        images.getOrDefault(s.getName(), blank(s.getImage()))));
                    }
                });
        Map<String, String> labels =
                Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
        return new PodInfo(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                cgroupUid(pod),
                blank(status.getQosClass()),
                Map.copyOf(labels),
                owner,
                Map.copyOf(containers));
    }

    static String cgroupUid(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String mirrored = annotations == null ? null : annotations.get(MIRROR_ANNOTATION);
        return mirrored != null && !mirrored.isEmpty()
                ? mirrored
                : pod.getMetadata().getUid();
    }

    private static <T> List<T> list(List<T> maybe) {
        return maybe == null ? List.of() : maybe;
    }

    private static String blank(String maybe) {
        return maybe == null ? "" : maybe;
    }
}
