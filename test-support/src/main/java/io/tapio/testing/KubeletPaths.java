package io.tapio.testing;

import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cgroup paths as kubelet makes them, for the tests and the enrichment bench, which create
 * them for real. Each sits below a prefix of its own ({@code tapio-kubelet-<uuid>/}, as a
 * kubelet --cgroup-root would put it), so that concurrent runs never share a directory and
 * cleanup removes all of it.
 */
public final class KubeletPaths {
    public static final String PREFIX = "tapio-kubelet-";

    private KubeletPaths() {}

    /** A pod's container cgroup with the systemd driver; qos is burstable, besteffort or "" (Guaranteed). */
    public static String systemd(String qos, String podUid, String runtimePrefix, String containerId) {
        String pods = qos.isEmpty() ? "kubepods" : "kubepods-" + qos;
        return prefix() + "kubepods.slice/" + (qos.isEmpty() ? "" : pods + ".slice/") + pods + "-pod"
                + podUid.replace('-', '_') + ".slice/" + runtimePrefix + "-" + containerId + ".scope";
    }

    /** A pod's container cgroup with the cgroupfs driver (containerd: the bare id). */
    public static String cgroupfs(String qos, String podUid, String containerId) {
        return prefix() + "kubepods/" + (qos.isEmpty() ? "" : qos + "/") + "pod" + podUid + "/" + containerId;
    }

    public static String prefix() {
        return PREFIX + UUID.randomUUID() + "/";
    }

    public static String uid() {
        return UUID.randomUUID().toString();
    }

    /** A container id as the runtimes make them: 64 hex digits. */
    public static String containerId() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
