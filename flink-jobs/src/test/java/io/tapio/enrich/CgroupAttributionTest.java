package io.tapio.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.testing.RecordingReader;
import io.tapio.model.Workload;
import io.tapio.model.Workload.Kind;
import io.tapio.testing.Commands;
import io.tapio.testing.KubeletPaths;
import io.tapio.testing.WorkloadCgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node side for real, without Kubernetes: cgroups with kubelet's names under both
 * drivers' layouts, real processes in them, and the events of the real BPF programs
 * attributed to the right pod and container from their cgroup ids alone. Runs as root.
 */
class CgroupAttributionTest {
    private static final String NODE = "test-node";
    private static final Duration GRACE = Duration.ofSeconds(2);

    private static KernelCollector collector;
    private static RecordingReader events;
    private static NodeWorkloadResolver resolver;

    @BeforeAll
    static void start() {
        collector = KernelCollector.open(CollectorConfig.builder()
                .ringBufferBytes(8 << 20)
                .enabledTypes(List.of(EventType.EXEC, EventType.EXIT, EventType.OOM_KILL))
                .build());
        events = new RecordingReader(collector.reader());
        resolver = NodeWorkloadResolver.start(
                EnrichConfig.defaults().withNode(NODE).withoutKubernetes().withGracePeriod(GRACE));
    }

    @AfterAll
    static void stop() {
        resolver.close();
        events.close();
        collector.close();
    }

    /** Runs /bin/true in the cgroup and returns its exec and exit events. */
    static List<KernelEvent> runTrueIn(WorkloadCgroup cgroup, RecordingReader events) {
        Commands.Result result = Commands.run(cgroup.wrap("/bin/true"));
        assertEquals(0, result.exitCode(), result.output());
        KernelEvent exec = events.await(
                "exec of /bin/true in " + cgroup.path(),
                e -> e.type() == EventType.EXEC
                        && e.pid() == result.pid()
                        && e.payload(Exec.class).filename().equals("/bin/true"));
        KernelEvent exit =
                events.await("exit of /bin/true", e -> e.type() == EventType.EXIT && e.pid() == result.pid());
        return List.of(exec, exit);
    }

    /** The directory below the hierarchy's root that a test cgroup was created in, to check it is gone. */
    static Path testRoot(WorkloadCgroup cgroup) {
        Path path = cgroup.path();
        while (!path.getFileName().toString().startsWith(KubeletPaths.PREFIX)) {
            path = path.getParent();
        }
        return path;
    }

    @Test
    void podsUnderBothDriversAndEveryRuntimeAreAttributedFromTheirCgroups() {
        record Case(String path, String podUid, String containerId, String runtime, String qosClass) {}
        List<Case> cases = new java.util.ArrayList<>();
        for (String[] systemd : new String[][] {
            {"burstable", "cri-containerd", "containerd", "Burstable"},
            {"besteffort", "crio", "cri-o", "BestEffort"},
            {"", "docker", "docker", "Guaranteed"}
        }) {
            String uid = KubeletPaths.uid();
            String id = KubeletPaths.containerId();
            cases.add(new Case(KubeletPaths.systemd(systemd[0], uid, systemd[1], id), uid, id, systemd[2], systemd[3]));
        }
        for (String[] cgroupfs : new String[][] {{"burstable", "Burstable"}, {"", "Guaranteed"}}) {
            String uid = KubeletPaths.uid();
            String id = KubeletPaths.containerId();
            cases.add(new Case(KubeletPaths.cgroupfs(cgroupfs[0], uid, id), uid, id, "", cgroupfs[1]));
        }
        for (Case c : cases) {
            Path root;
            try (WorkloadCgroup cgroup = WorkloadCgroup.create(c.path())) {
                root = testRoot(cgroup);
                for (KernelEvent event : runTrueIn(cgroup, events)) {
                    Workload w = resolver.resolve(event.cgroupId());
                    assertEquals(Kind.POD_UNRESOLVED, w.kind(), c.path() + ": " + event);
                    assertEquals(c.podUid(), w.pod().uid(), c.path());
                    assertEquals(c.containerId(), w.container().id(), c.path());
                    assertEquals(c.runtime(), w.container().runtime(), c.path());
                    assertEquals(c.qosClass(), w.pod().qosClass(), c.path());
                    assertEquals(NODE, w.node());
                    assertEquals("/" + c.path(), w.cgroup().path());
                }
            }
            assertFalse(Files.exists(root), "cleanup left " + root);
        }
    }

    @Test
    void processesOutsidePodsCarryTheirUnitOrTheNodeAndNothingThrows() {
        String prefix = KubeletPaths.prefix();
        try (WorkloadCgroup unit = WorkloadCgroup.create(prefix + "system.slice/tapio-probe.service");
                WorkloadCgroup plain = WorkloadCgroup.create(prefix + "plain");
                WorkloadCgroup malformed = WorkloadCgroup.create(
                        prefix + "kubepods/burstable/podnot-a-uid/" + KubeletPaths.containerId())) {
            Workload service =
                    resolver.resolve(runTrueIn(unit, events).getFirst().cgroupId());
            assertEquals(Kind.SYSTEMD_UNIT, service.kind());
            assertEquals("tapio-probe.service", service.unit());
            assertEquals(NODE + "/unit/tapio-probe.service", service.key());

            Workload host = resolver.resolve(runTrueIn(plain, events).getFirst().cgroupId());
            assertEquals(Kind.HOST, host.kind());
            assertEquals("/" + prefix + "plain", host.cgroup().path());

            Workload odd =
                    resolver.resolve(runTrueIn(malformed, events).getFirst().cgroupId());
            assertEquals(Kind.HOST, odd.kind());
        }
        for (long unknown : new long[] {0, -1, Long.MAX_VALUE, 1}) {
            Workload w = resolver.resolve(unknown);
            assertTrue(w.kind() == Kind.HOST && w.node().equals(NODE), unknown + ": " + w);
        }
    }

    @Test
    void anOomKilledContainerIsResolvedAfterItsCgroupIsGoneAndForgottenAfterTheGracePeriod()
            throws InterruptedException {
        String uid = KubeletPaths.uid();
        String id = KubeletPaths.containerId();
        KernelEvent oom;
        Path root;
        try (WorkloadCgroup cgroup =
                WorkloadCgroup.withMemoryLimit(KubeletPaths.cgroupfs("burstable", uid, id), 32L << 20)) {
            root = testRoot(cgroup);
            Process hog = Commands.start(cgroup.wrap("/usr/bin/tail /dev/zero"));
            // The job enriches events as they come: the exec while the container lives...
            KernelEvent exec = events.await(
                    "exec of tail",
                    e -> e.type() == EventType.EXEC
                            && e.pid() == hog.pid()
                            && e.payload(Exec.class).filename().equals("/usr/bin/tail"));
            assertEquals(uid, resolver.resolve(exec.cgroupId()).pod().uid());
            assertTrue(hog.waitFor(30, TimeUnit.SECONDS), "the memory hog was not killed");
            oom = events.await("OOM kill of tail", e -> e.type() == EventType.OOM_KILL && e.pid() == hog.pid());
        }
        // ...and the OOM kill after kubelet removed the cgroup, as it does within milliseconds.
        assertFalse(Files.exists(root), "cleanup left " + root);
        Thread.sleep(GRACE.toMillis() / 2); // sweeps have seen it gone; still within the grace period
        Workload victim = resolver.resolve(oom.cgroupId());
        assertEquals(Kind.POD_UNRESOLVED, victim.kind());
        assertEquals(uid, victim.pod().uid());
        assertEquals(id, victim.container().id());

        long deadline = System.nanoTime() + GRACE.multipliedBy(4).toNanos();
        while (resolver.resolve(oom.cgroupId()).kind() != Kind.HOST && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(
                Workload.host(new Workload.Cgroup(NODE, oom.cgroupId(), "")),
                resolver.resolve(oom.cgroupId()),
                "forgotten after the grace period: the cache stays bounded");
    }

    @Test
    void withoutThePrivilegeToOpenCgroupsByIdAnIndexWalkedInTheBackgroundFindsThemSoon() throws InterruptedException {
        Path hierarchy = UnifiedHierarchy.find().orElseThrow();
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor();
        try (WorkloadCgroup before = WorkloadCgroup.create(KubeletPaths.prefix() + "before")) {
            TreeIndex index = new TreeIndex(hierarchy, background);
            assertEquals(
                    "/" + hierarchy.relativize(before.path()),
                    index.find(before.id()).path());
            try (WorkloadCgroup after = WorkloadCgroup.create(KubeletPaths.prefix() + "after")) {
                assertFalse(index.find(after.id()).found(), "not walked yet");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!index.find(after.id()).found() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(
                        "/" + hierarchy.relativize(after.path()),
                        index.find(after.id()).path(),
                        "a miss makes the index walk again within " + TreeIndex.MIN_INTERVAL);
            }
        } finally {
            background.shutdownNow();
        }
    }
}
