package io.tapio.enrich;

import io.tapio.model.Workload;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads who a cgroup belongs to from its path, as kubelet and the container runtimes name
 * cgroups with either cgroup driver:
 *
 * <pre>
 * systemd:  /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod&lt;uid with _&gt;.slice/cri-containerd-&lt;id&gt;.scope
 *           /kubepods.slice/kubepods-pod&lt;uid&gt;.slice/crio-&lt;id&gt;.scope          (Guaranteed: no QoS slice)
 * cgroupfs: /kubepods/besteffort/pod&lt;uid&gt;/&lt;id&gt;
 *           /kubepods/pod&lt;uid&gt;/&lt;id&gt;                                        (Guaranteed)
 * </pre>
 *
 * The kubepods part may sit below a prefix (kubelet's --cgroup-root, e.g. kind's
 * {@code /kubelet.slice/kubelet-kubepods.slice/...}), and a container may have cgroups of its
 * own below its scope; both still belong to the pod and container. Outside pods, the deepest
 * systemd unit in the path names the process ({@code /system.slice/sshd.service}); anything
 * else, malformed or unknown, is a host process known by its path.
 */
final class KubeletCgroupLayout {
    /** A pod uid: a UUID (with '_' for '-' in systemd unit names) or the 32-hex-digit hash of a static pod. */
    private static final String UID =
            "([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}|[0-9a-f]{32})";

    private static final Pattern SYSTEMD_POD =
            Pattern.compile("(?:[a-z0-9_.-]+-)?kubepods(?:-(burstable|besteffort))?-pod" + UID + "\\.slice");
    private static final Pattern CGROUPFS_POD = Pattern.compile("pod" + UID);
    private static final Pattern CGROUPFS_QOS = Pattern.compile("burstable|besteffort");
    /** A container: cri-containerd-, crio- or docker- and the id, a .scope with systemd; a bare id with containerd on cgroupfs. */
    private static final Pattern CONTAINER =
            Pattern.compile("(?:(cri-containerd|crio|docker)-)?([0-9a-f]{64})(?:\\.scope)?");

    private static final Pattern UNIT = Pattern.compile("[^/]+\\.(?:service|scope)");

    private KubeletCgroupLayout() {}

    /** The identity the path gives: a pod's container, a systemd unit, or the host. */
    static Workload identify(String node, long cgroupId, String path) {
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length; i++) {
            Workload pod = pod(node, cgroupId, path, segments, i);
            if (pod != null) {
                return pod;
            }
        }
        for (int i = segments.length - 1; i >= 0; i--) {
            if (UNIT.matcher(segments[i]).matches()) {
                return Workload.systemdUnit(new Workload.Cgroup(node, cgroupId, path), segments[i]);
            }
        }
        return Workload.host(new Workload.Cgroup(node, cgroupId, path));
    }

    /** The pod whose cgroup is segment {@code i}, or null when it is not a pod's. */
    private static Workload pod(String node, long cgroupId, String path, String[] segments, int i) {
        String uid;
        String qos;
        Matcher systemd = SYSTEMD_POD.matcher(segments[i]);
        Matcher cgroupfs = CGROUPFS_POD.matcher(segments[i]);
        if (systemd.matches()) {
            uid = systemd.group(2);
            qos = qosClass(systemd.group(1));
        } else if (cgroupfs.matches() && underKubepods(segments, i)) {
            uid = cgroupfs.group(1);
            qos = qosClass(CGROUPFS_QOS.matcher(segments[i - 1]).matches() ? segments[i - 1] : null);
        } else {
            return null;
        }
        String containerId = "";
        String runtime = "";
        if (i + 1 < segments.length) {
            Matcher container = CONTAINER.matcher(segments[i + 1]);
            if (container.matches()) {
                containerId = container.group(2);
                runtime = runtime(container.group(1));
            }
        }
        return Workload.podFromPath(
                new Workload.Cgroup(node, cgroupId, path),
                Workload.Pod.fromPath(uid.replace('_', '-'), qos),
                containerId.isEmpty() ? Workload.Container.NONE : Workload.Container.fromPath(containerId, runtime));
    }

    /** cgroupfs pod directories sit in kubepods, directly (Guaranteed) or in a QoS directory. */
    private static boolean underKubepods(String[] segments, int i) {
        return i >= 1
                && (segments[i - 1].equals("kubepods")
                        || i >= 2
                                && CGROUPFS_QOS.matcher(segments[i - 1]).matches()
                                && segments[i - 2].equals("kubepods"));
    }

    private static String qosClass(String qosSegment) {
        return qosSegment == null
                ? "Guaranteed"
                : switch (qosSegment) {
                    case "burstable" -> "Burstable";
                    case "besteffort" -> "BestEffort";
                    default -> "";
                };
    }

    /** The runtime's name as the API's container ids spell it (containerd://, cri-o://, docker://). */
    private static String runtime(String prefix) {
        return prefix == null
                ? ""
                : switch (prefix) {
                    case "cri-containerd" -> "containerd";
                    case "crio" -> "cri-o";
                    default -> prefix.toLowerCase(Locale.ROOT);
                };
    }
}
