package io.tapio.export;

import io.tapio.model.Finding;
import io.tapio.model.Severity;
import io.tapio.model.Workload;
import java.util.List;
import java.util.Map;

/** Findings' reports as the correlator makes them, about pods and host processes, for the export tests. */
final class Reports {
    static final String NODE = "worker-3";

    private Reports() {}

    /** A container of a pod the API described: namespace, name, uid, owner. */
    static Workload pod(String namespace, String name, String uid) {
        Workload.Cgroup cgroup = new Workload.Cgroup(NODE, 4242, "kubepods.slice/pod" + uid + ".slice");
        return Workload.podFromPath(cgroup, Workload.Pod.fromPath(uid, "Burstable"), Workload.Container.NONE)
                .describedBy(
                        new Workload.Pod(namespace, name, "", "Burstable", Map.of("app", "checkout")),
                        new Workload.Container("api", "", "containerd", "registry.example/checkout:1.4"),
                        new Workload.Owner("Deployment", "checkout"));
    }

    static Workload host() {
        return Workload.host(new Workload.Cgroup(NODE, 17, "system.slice/cron.service/sub"));
    }

    static Workload unit() {
        return Workload.systemdUnit(new Workload.Cgroup(NODE, 18, "system.slice/sshd.service"), "sshd.service");
    }

    static Workload unresolvedPod() {
        return Workload.podFromPath(
                new Workload.Cgroup(NODE, 19, "kubepods.slice/podabc.slice"),
                Workload.Pod.fromPath("abc", "BestEffort"),
                Workload.Container.NONE);
    }

    /** A crash-loop report of {@code episode}: {@code count} exits, the last at {@code lastSeen}. */
    static Finding report(
            String episode, Finding.Status status, Severity severity, Workload workload, long count, long lastSeen) {
        return new Finding(
                episode,
                status,
                "crash_loop",
                severity,
                workload,
                "",
                1_800_000_000_000L,
                lastSeen,
                count,
                workload.displayName() + " keeps failing: " + count + " exits with status 1 in 40 s.",
                "Read the logs of the container's previous run: kubectl logs --previous.",
                List.of(new Finding.Evidence(lastSeen, "exit", 4711, "checkout", "exited with status 1 after 2.1 s")),
                lastSeen + 5,
                0,
                null);
    }
}
