package io.tapio.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tapio.model.Workload;
import io.tapio.model.Workload.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cgroup paths kubelet and the runtimes produce, and what each says about its processes. */
class KubeletCgroupLayoutTest {
    private static final String NODE = "node-1";
    private static final String UID = "8c1b6c53-5d36-4a8e-9f3c-0123456789ab";
    private static final String SYSTEMD_UID = UID.replace('-', '_');
    private static final String ID = "4f8a1c2b3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";

    private static Workload identify(String path) {
        return KubeletCgroupLayout.identify(NODE, 42, path);
    }

    private static void assertPod(String path, String containerId, String runtime, String qosClass) {
        Workload w = identify(path);
        assertEquals(Kind.POD_UNRESOLVED, w.kind(), path);
        assertEquals(UID, w.pod().uid(), path);
        assertEquals(containerId, w.container().id(), path);
        assertEquals(runtime, w.container().runtime(), path);
        assertEquals(qosClass, w.pod().qosClass(), path);
        assertEquals(NODE, w.node());
        assertEquals(42, w.cgroup().id());
        assertEquals(path, w.cgroup().path());
    }

    @Test
    void systemdDriverWithEachRuntimeAndQosClass() {
        assertPod(
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + SYSTEMD_UID
                        + ".slice/cri-containerd-" + ID + ".scope",
                ID,
                "containerd",
                "Burstable");
        assertPod(
                "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + SYSTEMD_UID + ".slice/crio-" + ID
                        + ".scope",
                ID,
                "cri-o",
                "BestEffort");
        assertPod(
                "/kubepods.slice/kubepods-pod" + SYSTEMD_UID + ".slice/docker-" + ID + ".scope",
                ID,
                "docker",
                "Guaranteed");
    }

    @Test
    void cgroupfsDriverWithEachQosClass() {
        assertPod("/kubepods/burstable/pod" + UID + "/" + ID, ID, "", "Burstable");
        assertPod("/kubepods/besteffort/pod" + UID + "/crio-" + ID, ID, "cri-o", "BestEffort");
        assertPod("/kubepods/pod" + UID + "/" + ID, ID, "", "Guaranteed");
    }

    @Test
    void kubeletCgroupRootPrefixesAndCgroupsBelowTheContainerStillBelongToIt() {
        // kind runs kubelet with --cgroup-root=/kubelet
        assertPod(
                "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod"
                        + SYSTEMD_UID + ".slice/cri-containerd-" + ID + ".scope",
                ID,
                "containerd",
                "Burstable");
        assertPod("/kubelet/kubepods/burstable/pod" + UID + "/" + ID, ID, "", "Burstable");
        assertPod(
                "/kubepods.slice/kubepods-pod" + SYSTEMD_UID + ".slice/crio-" + ID + ".scope/container",
                ID,
                "cri-o",
                "Guaranteed");
    }

    @Test
    void thePodsOwnCgroupAndRuntimeHelpersAreThePodWithoutAContainer() {
        assertPod(
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + SYSTEMD_UID + ".slice",
                "",
                "",
                "Burstable");
        assertPod(
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + SYSTEMD_UID + ".slice/crio-conmon-"
                        + ID + ".scope",
                "",
                "",
                "Burstable");
    }

    @Test
    void staticPodsHaveAHashForUid() {
        String hash = "6ba0d7b0ec5e6f6d5c8cbcd8d6fb8ee4";
        Workload w = identify("/kubepods/burstable/pod" + hash + "/" + ID);
        assertEquals(Kind.POD_UNRESOLVED, w.kind());
        assertEquals(hash, w.pod().uid());
    }

    @Test
    void processesOutsidePodsAreTheirSystemdUnitOrTheHost() {
        assertEquals(
                Workload.systemdUnit(new Workload.Cgroup(NODE, 42, "/system.slice/sshd.service"), "sshd.service"),
                identify("/system.slice/sshd.service"));
        assertEquals(
                "session-4.scope",
                identify("/user.slice/user-0.slice/session-4.scope").unit());
        assertEquals(
                "containerd.service",
                identify("/system.slice/containerd.service/delegated").unit());
        assertEquals(Workload.host(new Workload.Cgroup(NODE, 42, "/")), identify("/"));
        assertEquals(Workload.host(new Workload.Cgroup(NODE, 42, "/machine/qemu-1")), identify("/machine/qemu-1"));
    }

    @Test
    void malformedAndUnknownPathsAreAttributedToTheNode() {
        for (String path : List.of(
                "",
                "////",
                "kubepods",
                "/kubepods.slice",
                "/kubepods.slice/kubepods-burstable.slice",
                "/kubepods/burstable/podnot-a-uid/" + ID,
                "/elsewhere/burstable/pod" + UID + "/" + ID,
                "/kubepods/burstable/pod" + UID.substring(1) + "/" + ID,
                "/kubepods-pod" + UID + "X.slice",
                "/\u00e9t\u00e9/\u0000/" + "x".repeat(10_000))) {
            Workload w = identify(path);
            assertEquals(Kind.HOST, w.kind(), path);
            assertEquals(NODE + "/cgroup/" + (path.isEmpty() ? "42" : path), w.key());
        }
    }
}
