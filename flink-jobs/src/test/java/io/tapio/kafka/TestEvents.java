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
                        node, cgroupId, "/kubepods/pod" + podUid + "/c1", podUid, "c1", "containerd", "Burstable")
                .describedBy(
                        "payments",
                        "checkout-7f9c",
                        "api",
                        "checkout:1.4",
                        "",
                        "",
                        "Deployment",
                        "checkout",
                        Map.of("app", "checkout"));
    }
}
