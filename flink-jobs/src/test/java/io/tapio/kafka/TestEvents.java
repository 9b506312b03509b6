package io.tapio.kafka;

import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.model.Workload;
import java.util.Map;

/** Events and workloads as a node agent would publish them, made up for tests that need no kernel. */
final class TestEvents {
    private TestEvents() {}

    static KernelEvent failedOpen(long timestampNs, int pid, long cgroupId, String path) {
        return KernelEvent.of(
                new EventSubject(timestampNs, 0, pid, pid, cgroupId, "app"),
                new OpenFailed(OpenFailed.ENOENT, 0, path));
    }

    static Workload pod(String node, long cgroupId, String podUid) {
        return Workload.podFromPath(
                        new Workload.Cgroup(node, cgroupId, "/kubepods/pod" + podUid + "/c1"),
                        Workload.Pod.fromPath(podUid, "Burstable"),
                        Workload.Container.fromPath("c1", "containerd"))
                .describedBy(
                        new Workload.Pod("payments", "checkout-7f9c", "", "", Map.of("app", "checkout")),
                        new Workload.Container("api", "", "", "checkout:1.4"),
                        new Workload.Owner("Deployment", "checkout"));
    }
}
