package io.tapio.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.event.EventSubject;
import io.tapio.ebpf.event.Exec;
import io.tapio.ebpf.event.KernelEvent;
import io.tapio.ebpf.testing.Commands;
import io.tapio.ebpf.testing.RecordingReader;
import io.tapio.ebpf.bench.WorkloadCgroup;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What enrichment costs the task thread, measured on real cgroups of 100 pods (the mock API
 * server in CRUD mode names them: no API server exists here), and its hit ratio on the real
 * event stream of this machine. Prints its figures and asserts none of them (the machine is
 * shared): it asserts what was enriched, every event of every pod.
 *
 * <p>Run alone: {@code mvn -B -q -pl flink-jobs -am verify -Dtest=EnrichmentCostTest
 * -Dsurefire.failIfNoSpecifiedTests=false}, then read "enrichment cost" in the output.
 */
class EnrichmentCostTest {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentCostTest.class);
    private static final String NODE = "bench-node";
    private static final int PODS = 100;

    private static final List<WorkloadCgroup> cgroups = new ArrayList<>();
    private static KubernetesMockServer server;
    private static KubernetesClient api;

    @BeforeAll
    static void createPods() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new NodeSelectingCrudDispatcher(NODE), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        api = server.createClient();
        for (int i = 0; i < PODS; i++) {
            String id = KubeletPaths.containerId();
            String uid = api.pods().inNamespace("bench").resource(new PodBuilder().withNewMetadata()
                            .withNamespace("bench").withName("pod-" + i).addToLabels("app", "bench").endMetadata()
                            .withNewSpec().withNodeName(NODE).addNewContainer().withName("main").withImage("bench:1")
                            .endContainer().endSpec().withNewStatus().withQosClass("Burstable").addNewContainerStatus()
                            .withName("main").withContainerID("containerd://" + id).endContainerStatus().endStatus()
                            .build())
                    .create().getMetadata().getUid();
            cgroups.add(WorkloadCgroup.create(i % 2 == 0 ? KubeletPaths.systemd("burstable", uid, "cri-containerd", id)
                    : KubeletPaths.cgroupfs("burstable", uid, id)));
        }
    }

    @AfterAll
    static void removePods() {
        cgroups.forEach(WorkloadCgroup::close);
        api.close();
        server.destroy();
    }

    /**
     * Median nanoseconds per event of enriching these events, over timed rounds after warm-up
     * rounds; every event must come out as a workload of {@code kind}.
     */
    private static double medianNanosPerEvent(NodeWorkloadResolver resolver, KernelEvent[] events, Workload.Kind kind) {
        int rounds = 31;
        int perRound = 200_000;
        double[] nanos = new double[rounds];
        long otherKind = 0;
        for (int round = -10; round < rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                KernelEvent event = events[i % events.length];
                EnrichedEvent enriched = new EnrichedEvent(event, resolver.resolve(event.cgroupId()));
                otherKind += enriched.workload().kind() == kind ? 0 : 1;
            }
            if (round >= 0) {
                nanos[round] = (double) (System.nanoTime() - start) / perRound;
            }
        }
        assertEquals(0, otherKind, "events enriched as something else than " + kind);
        Arrays.sort(nanos);
        return nanos[rounds / 2];
    }

    private static KernelEvent[] eventsOfEveryPod() {
        return cgroups.stream().map(c -> KernelEvent.of(new EventSubject(1, 0, 1, 1, c.id(), "bench"),
                new Exec(1, "/bench"))).toArray(KernelEvent[]::new);
    }

    @Test
    void everyPodsEventsAreEnrichedAndWhatThatCostsIsPrinted() {
        KernelEvent[] events = eventsOfEveryPod();
        double pathOnly;
        try (NodeWorkloadResolver resolver = NodeWorkloadResolver.start(EnrichConfig.defaults().withNode(NODE)
                .withoutKubernetes())) {
            pathOnly = medianNanosPerEvent(resolver, events, Workload.Kind.POD_UNRESOLVED);
        }
        double withApi;
        try (NodeWorkloadResolver resolver = NodeWorkloadResolver.start(EnrichConfig.defaults().withNode(NODE)
                .withKubernetesApi(api.getMasterUrl().toString()))) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (Arrays.stream(events).anyMatch(e -> resolver.resolve(e.cgroupId()).kind() != Workload.Kind.POD)
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(Workload.Kind.POD, resolver.resolve(events[PODS - 1].cgroupId()).kind());
            withApi = medianNanosPerEvent(resolver, events, Workload.Kind.POD);
        }

        Path hierarchy = UnifiedHierarchy.find().orElseThrow();
        double[] missNanos = new double[PODS];
        try (HandleLookup lookup = HandleLookup.open(hierarchy).orElseThrow()) {
            for (WorkloadCgroup warmUp : cgroups) {
                lookup.find(warmUp.id());
            }
            for (int i = 0; i < PODS; i++) {
                long start = System.nanoTime();
                assertTrue(lookup.find(cgroups.get(i).id()).found());
                missNanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(missNanos);
        LOG.info("enrichment cost: known cgroup, paths only: median {} ns/event; with pods from the API: median {} "
                        + "ns/event; new cgroup (open_by_handle_at + readlink): median {} us",
                Math.round(pathOnly), Math.round(withApi), Math.round(missNanos[PODS / 2] / 100) / 10.0);
    }

    @Test
    void hitRatioOnThisMachinesRealEventStream() throws InterruptedException {
        List<KernelEvent> recorded;
        try (KernelCollector collector = KernelCollector.open(CollectorConfig.builder().ringBufferBytes(8 << 20).build());
             RecordingReader events = new RecordingReader(collector.reader())) {
            for (int i = 0; i < 20; i++) { // what kubelet's pods do all day: start processes, which exit
                Commands.run(cgroups.get(i).wrap("/bin/true"));
            }
            Thread.sleep(2_000);
            recorded = events.matching(e -> true);
        }
        try (NodeWorkloadResolver resolver = NodeWorkloadResolver.start(EnrichConfig.defaults().withNode(NODE)
                .withoutKubernetes())) {
            long podEvents = 0;
            long podEventsAttributed = 0;
            for (KernelEvent event : recorded) {
                Workload w = resolver.resolve(event.cgroupId());
                Optional<WorkloadCgroup> fromPod = cgroups.stream().filter(c -> c.id() == event.cgroupId()).findFirst();
                if (fromPod.isPresent()) {
                    podEvents++;
                    podEventsAttributed += w.kind() == Workload.Kind.POD_UNRESOLVED ? 1 : 0;
                }
            }
            double ratio = (double) resolver.hits() / (resolver.hits() + resolver.misses());
            LOG.info("enrichment hit ratio on {} real events of this machine: {} ({} misses); {} of {} events from "
                    + "pod cgroups carry their pod", recorded.size(), String.format("%.4f", ratio), resolver.misses(),
                    podEventsAttributed, podEvents);
            assertTrue(podEvents >= 40, "exec and exit of each /bin/true: " + podEvents);
            assertEquals(podEvents, podEventsAttributed, "100% of the events from pod cgroups carry their pod");
        }
    }
}
