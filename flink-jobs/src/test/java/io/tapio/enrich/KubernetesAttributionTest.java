package io.tapio.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events of real processes in real kubelet-style cgroups, from the real BPF programs, named
 * with what the Kubernetes API says about their pods: namespace, name, container, image,
 * labels and the owning workload.
 *
 * <p>There is no Kubernetes API server on these machines: the API is fabric8's mock server
 * in CRUD mode, on loopback, which the resolver's informer lists and watches as it would a
 * real one ({@link NodeSelectingCrudDispatcher} says how the node's field selector is
 * served). Everything on the node side is real.
 */
class KubernetesAttributionTest {
    private static final String NODE = "worker-7";
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration INFORMER_CATCH_UP = Duration.ofSeconds(15);
    private static final String[] IDS =
            java.util.stream.Stream.generate(KubeletPaths::containerId).limit(6).toArray(String[]::new);

    private static NodeSelectingCrudDispatcher dispatcher;
    private static KubernetesMockServer server;
    private static KubernetesClient api;
    private static KernelCollector collector;
    private static RecordingReader events;
    private static NodeWorkloadResolver resolver;

    @BeforeAll
    static void start() {
        dispatcher = new NodeSelectingCrudDispatcher(NODE);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        api = server.createClient();
        collector = KernelCollector.open(CollectorConfig.builder()
                .ringBufferBytes(8 << 20)
                .enabledTypes(List.of(EventType.EXEC, EventType.EXIT, EventType.OOM_KILL))
                .build());
        events = new RecordingReader(collector.reader());
        resolver = NodeWorkloadResolver.start(EnrichConfig.defaults()
                .withNode(NODE)
                .withKubernetesApi(api.getMasterUrl().toString())
                .withGracePeriod(GRACE));
    }

    @AfterAll
    static void stop() {
        resolver.close();
        events.close();
        collector.close();
        api.close();
        server.destroy();
    }

    private static OwnerReference controller(String kind, String name) {
        return new OwnerReferenceBuilder()
                .withApiVersion(kind.equals("Job") || kind.equals("CronJob") ? "batch/v1" : "apps/v1")
                .withKind(kind)
                .withName(name)
                .withUid(KubeletPaths.uid())
                .withController(true)
                .build();
    }

    /** A running pod of this node whose one container has started with this runtime id. */
    private static PodBuilder pod(
            String namespace,
            String name,
            OwnerReference owner,
            String container,
            String image,
            String qosClass,
            String runtime,
            String containerId,
            Map<String, String> labels) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withNodeName(NODE)
                .addNewContainer()
                .withName(container)
                .withImage(image)
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withQosClass(qosClass)
                .addNewContainerStatus()
                .withName(container)
                .withImage(image)
                .withContainerID(runtime + "://" + containerId)
                .endContainerStatus()
                .endStatus();
        if (owner != null) {
            pod.editMetadata().withOwnerReferences(owner).endMetadata();
        }
        return pod;
    }

    /** Creates the pod in the API, which gives it its uid, as kubelet will name its cgroups. */
    private static Pod create(PodBuilder pod) {
        Pod built = pod.build();
        return api.pods()
                .inNamespace(built.getMetadata().getNamespace())
                .resource(built)
                .create();
    }

    /** Waits until the resolver's informer has seen what the API now says about this cgroup. */
    private static Workload awaitResolved(long cgroupId, Predicate<Workload> known) throws InterruptedException {
        long deadline = System.nanoTime() + INFORMER_CATCH_UP.toNanos();
        Workload w = resolver.resolve(cgroupId);
        while (!known.test(w) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            w = resolver.resolve(cgroupId);
        }
        assertTrue(known.test(w), "the informer did not catch up within " + INFORMER_CATCH_UP + ": " + w);
        return w;
    }

    private static List<KernelEvent> runTrueIn(WorkloadCgroup cgroup) {
        return CgroupAttributionTest.runTrueIn(cgroup, events);
    }

    @Test
    void everyEventOfAPodsProcessesCarriesItsPodContainerAndWorkload() throws InterruptedException {
        record Case(PodBuilder pod, Function<String, String> layout, String ownerKind, String ownerName) {}
        api.apps()
                .replicaSets()
                .inNamespace("payments")
                .resource(new ReplicaSetBuilder()
                        .withNewMetadata()
                        .withNamespace("payments")
                        .withName("checkout-7f9c6d")
                        .withOwnerReferences(controller("Deployment", "checkout"))
                        .endMetadata()
                        .build())
                .create();
        api.batch()
                .v1()
                .jobs()
                .inNamespace("reports")
                .resource(new JobBuilder()
                        .withNewMetadata()
                        .withNamespace("reports")
                        .withName("nightly-29410560")
                        .withOwnerReferences(controller("CronJob", "nightly"))
                        .endMetadata()
                        .build())
                .create();

        List<Case> cases = List.of(
                new Case(
                        pod(
                                "payments",
                                "checkout-7f9c6d-x2x9z",
                                controller("ReplicaSet", "checkout-7f9c6d"),
                                "api",
                                "registry.example/payments/checkout:1.4.2",
                                "Burstable",
                                "containerd",
                                IDS[0],
                                Map.of("app", "checkout", "pod-template-hash", "7f9c6d")),
                        uid -> KubeletPaths.systemd("burstable", uid, "cri-containerd", IDS[0]),
                        "Deployment",
                        "checkout"),
                new Case(
                        pod(
                                "payments",
                                "ledger-0",
                                controller("StatefulSet", "ledger"),
                                "db",
                                "postgres:17",
                                "Guaranteed",
                                "containerd",
                                IDS[1],
                                Map.of("app", "ledger")),
                        uid -> KubeletPaths.cgroupfs("", uid, IDS[1]),
                        "StatefulSet",
                        "ledger"),
                new Case(
                        pod(
                                "monitoring",
                                "node-exporter-5kq2p",
                                controller("DaemonSet", "node-exporter"),
                                "exporter",
                                "prom/node-exporter:v1.9",
                                "BestEffort",
                                "cri-o",
                                IDS[2],
                                Map.of()),
                        uid -> KubeletPaths.systemd("besteffort", uid, "crio", IDS[2]),
                        "DaemonSet",
                        "node-exporter"),
                new Case(
                        pod(
                                "reports",
                                "nightly-29410560-q8w7e",
                                controller("Job", "nightly-29410560"),
                                "report",
                                "reports:2",
                                "Guaranteed",
                                "docker",
                                IDS[3],
                                Map.of()),
                        uid -> KubeletPaths.systemd("", uid, "docker", IDS[3]),
                        "CronJob",
                        "nightly"),
                new Case(
                        pod(
                                "default",
                                "debug",
                                null,
                                "shell",
                                "busybox:1.37",
                                "Burstable",
                                "containerd",
                                IDS[4],
                                Map.of()),
                        uid -> KubeletPaths.cgroupfs("burstable", uid, IDS[4]),
                        "",
                        ""),
                // Its ReplicaSet is not in the API (deleted, or reading it is not allowed): named by convention.
                new Case(
                        pod(
                                "shop",
                                "cart-5d8b9c-h7j2k",
                                controller("ReplicaSet", "cart-5d8b9c"),
                                "cart",
                                "cart:3",
                                "Burstable",
                                "containerd",
                                IDS[5],
                                Map.of("pod-template-hash", "5d8b9c")),
                        uid -> KubeletPaths.systemd("burstable", uid, "cri-containerd", IDS[5]),
                        "Deployment",
                        "cart"));

        for (Case c : cases) {
            Pod pod = create(c.pod());
            String path = c.layout().apply(pod.getMetadata().getUid());
            Path root;
            try (WorkloadCgroup cgroup = WorkloadCgroup.create(path)) {
                root = CgroupAttributionTest.testRoot(cgroup);
                awaitResolved(cgroup.id(), w -> w.kind() == Kind.POD);
                for (KernelEvent event : runTrueIn(cgroup)) {
                    Workload w = resolver.resolve(event.cgroupId());
                    String what = path + " " + event;
                    assertEquals(Kind.POD, w.kind(), what);
                    assertEquals(pod.getMetadata().getNamespace(), w.pod().namespace(), what);
                    assertEquals(pod.getMetadata().getName(), w.pod().name(), what);
                    assertEquals(pod.getMetadata().getUid(), w.pod().uid(), what);
                    assertEquals(
                            pod.getSpec().getContainers().getFirst().getName(),
                            w.container().name(),
                            what);
                    assertEquals(
                            pod.getSpec().getContainers().getFirst().getImage(),
                            w.container().image(),
                            what);
                    assertEquals(pod.getStatus().getQosClass(), w.pod().qosClass(), what);
                    assertEquals(
                            pod.getStatus()
                                    .getContainerStatuses()
                                    .getFirst()
                                    .getContainerID()
                                    .split(":")[0],
                            w.container().runtime(),
                            what);
                    assertEquals(c.ownerKind(), w.owner().kind(), what);
                    assertEquals(c.ownerName(), w.owner().name(), what);
                    assertEquals(pod.getMetadata().getLabels(), w.pod().labels(), what);
                    assertEquals(NODE, w.node(), what);
                }
            }
            assertFalse(Files.exists(root), "cleanup left " + root);
        }
        assertTrue(
                dispatcher.selectedRequests().stream().anyMatch(path -> path.contains("watch=true")),
                "the informer watches this node's pods only: " + dispatcher.selectedRequests());
        assertEquals(Kind.HOST, resolver.resolve(0).kind(), "an unknown id is the node's, never an exception");
    }

    /**
     * A static pod's containers run before its pod exists in the API: kubelet starts them from a
     * manifest (cgroups named by the manifest's hash) and creates the mirror pod afterwards.
     */
    @Test
    void aPodCreatedInTheApiAfterItsProcessStartedIsNamedOnceTheInformerCatchesUp() throws InterruptedException {
        String hash = KubeletPaths.containerId().substring(0, 32);
        String id = KubeletPaths.containerId();
        try (WorkloadCgroup cgroup = WorkloadCgroup.create(KubeletPaths.cgroupfs("burstable", hash, id))) {
            Process etcd = Commands.start(cgroup.wrap("/bin/sleep 30"));
            KernelEvent exec = events.await(
                    "exec of sleep",
                    e -> e.type() == EventType.EXEC
                            && e.pid() == etcd.pid()
                            && e.payload(Exec.class).filename().equals("/bin/sleep"));
            Workload before = resolver.resolve(exec.cgroupId());
            assertEquals(Kind.POD_UNRESOLVED, before.kind(), "the API does not know the pod yet");
            assertEquals(hash, before.pod().uid());
            assertEquals("pod-uid/" + hash, before.key());

            create(pod(
                            "kube-system",
                            "etcd-" + NODE,
                            controller("Node", NODE),
                            "etcd",
                            "registry.k8s.io/etcd:3.6.4-0",
                            "Burstable",
                            "containerd",
                            id,
                            Map.of("component", "etcd"))
                    .editMetadata()
                    .addToAnnotations(PodInfo.MIRROR_ANNOTATION, hash)
                    .endMetadata());
            Workload after = awaitResolved(exec.cgroupId(), w -> w.kind() == Kind.POD);
            assertEquals("kube-system/etcd-" + NODE + ", container etcd", after.displayName());
            assertEquals("kube-system/pod/etcd-" + NODE, after.key(), "a static pod is its own workload");

            etcd.destroyForcibly();
            assertTrue(etcd.waitFor(10, TimeUnit.SECONDS));
            KernelEvent exit = events.await("exit of sleep", e -> e.type() == EventType.EXIT && e.pid() == etcd.pid());
            assertEquals(after, resolver.resolve(exit.cgroupId()));
        }
    }

    @Test
    void anOomKilledContainerIsNamedAfterItsCgroupIsGoneAndItsPodDeleted() throws InterruptedException {
        String id = KubeletPaths.containerId();
        api.batch()
                .v1()
                .jobs()
                .inNamespace("batch")
                .resource(new JobBuilder()
                        .withNewMetadata()
                        .withNamespace("batch")
                        .withName("etl-29410600")
                        .withOwnerReferences(controller("CronJob", "etl"))
                        .endMetadata()
                        .build())
                .create();
        Pod pod = create(pod(
                "batch",
                "etl-29410600-abcde",
                controller("Job", "etl-29410600"),
                "load",
                "etl:7",
                "Burstable",
                "containerd",
                id,
                Map.of("app", "etl")));
        String uid = pod.getMetadata().getUid();
        KernelEvent oom;
        try (WorkloadCgroup cgroup = WorkloadCgroup.withMemoryLimit(
                KubeletPaths.systemd("burstable", uid, "cri-containerd", id), 32L << 20)) {
            awaitResolved(cgroup.id(), w -> w.kind() == Kind.POD);
            Process hog = Commands.start(cgroup.wrap("/usr/bin/tail /dev/zero"));
            KernelEvent exec = events.await(
                    "exec of tail",
                    e -> e.type() == EventType.EXEC
                            && e.pid() == hog.pid()
                            && e.payload(Exec.class).filename().equals("/usr/bin/tail"));
            assertEquals(Kind.POD, resolver.resolve(exec.cgroupId()).kind()); // enriched while it runs
            assertTrue(hog.waitFor(30, TimeUnit.SECONDS), "the memory hog was not killed");
            oom = events.await("OOM kill of tail", e -> e.type() == EventType.OOM_KILL && e.pid() == hog.pid());
        }
        api.pods().inNamespace("batch").withName(pod.getMetadata().getName()).delete();
        Thread.sleep(GRACE.toMillis() / 3); // the informer has seen the deletion; within the grace period

        Workload victim = resolver.resolve(oom.cgroupId());
        assertEquals("batch/etl-29410600-abcde, container load, CronJob etl", victim.displayName());
        assertEquals("batch/cronjob/etl", victim.key());
    }

    @Test
    void anUnreachableApiServerNeverBlocksAndPodsAreNamedFromTheirPaths() throws Exception {
        String uid = KubeletPaths.uid();
        String id = KubeletPaths.containerId();
        // It takes connections (the kernel's backlog) and never answers: a client that waited
        // for the API would hang here until its own timeouts.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                WorkloadCgroup cgroup = WorkloadCgroup.create(KubeletPaths.cgroupfs("besteffort", uid, id));
                NodeWorkloadResolver unreachable = NodeWorkloadResolver.start(EnrichConfig.defaults()
                        .withNode("worker-8")
                        .withKubernetesApi("http://127.0.0.1:" + silent.getLocalPort()))) {
            long cgroupId = runTrueIn(cgroup).getFirst().cgroupId();
            Workload w = assertTimeoutPreemptively(
                    Duration.ofSeconds(5), () -> unreachable.resolve(cgroupId), "resolving waited for the API server");
            assertEquals(Kind.POD_UNRESOLVED, w.kind());
            assertEquals(uid, w.pod().uid());
            assertEquals(id, w.container().id());
        }
    }
}
