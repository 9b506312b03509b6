package io.tapio.enrich;

import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cgroup paths as kubelet makes them, for the tests and the enrichment bench, which create
 * them for real. Each sits below a prefix of its own ({@code tapio-kubelet-<uuid>/}, as a
 * kubelet --cgroup-root would put it), so that concurrent runs never share a directory and
 * cleanup removes all of it.
 */
final class KubeletPaths {
    static final String PREFIX = "tapio-kubelet-";

    private KubeletPaths() {}

    /** A pod's container cgroup with the systemd driver; qos is burstable, besteffort or "" (Guaranteed). */
    static String systemd(String qos, String podUid, String runtimePrefix, String containerId) {
        String pods = qos.isEmpty() ? "kubepods" : "kubepods-" + qos;
        return prefix() + "kubepods.slice/" + (qos.isEmpty() ? "" : pods + ".slice/") + pods + "-pod"
                + podUid.replace('-', '_') + ".slice/" + runtimePrefix + "-" + containerId + ".scope";
    }

    /** A pod's container cgroup with the cgroupfs driver (containerd: the bare id). */
    static String cgroupfs(String qos, String podUid, String containerId) {
        return prefix() + "kubepods/" + (qos.isEmpty() ? "" : qos + "/") + "pod" + podUid + "/" + containerId;
    }

    static String prefix() {
        return PREFIX + UUID.randomUUID() + "/";
    }

    static String uid() {
        return UUID.randomUUID().toString();
    }

    /** A container id as the runtimes make them: 64 hex digits. */
    static String containerId() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
