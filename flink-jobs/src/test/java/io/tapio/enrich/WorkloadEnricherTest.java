package io.tapio.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.types.KernelEventSerializer;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import io.tapio.model.types.EnrichedEventSerializer;
import io.tapio.testing.KubeletPaths;
import io.tapio.testing.WorkloadCgroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The enrichment stage in a Flink MiniCluster: events whose cgroup ids are real cgroups of
 * this machine (a pod's container, a systemd unit) and one that exists nowhere, enriched by
 * two parallel tasks sharing one resolver, then sent across the network to the next stage.
 */
class WorkloadEnricherTest {
    private static final String NODE = "minicluster-node";

    private static KernelEvent exec(long cgroupId, int pid) {
        return KernelEvent.of(
                new EventSubject(System.nanoTime(), 0, pid, pid, cgroupId, "probe"), new Exec(1, "/usr/bin/probe"));
    }

    @Test
    void aJobGivesEveryEventItsWorkloadAndCountsThemByKind() throws Exception {
        String uid = KubeletPaths.uid();
        String id = KubeletPaths.containerId();
        long unknown = 987_654_321_987L;
        try (WorkloadCgroup pod = WorkloadCgroup.create(KubeletPaths.systemd("burstable", uid, "cri-containerd", id));
                WorkloadCgroup unit =
                        WorkloadCgroup.create(KubeletPaths.prefix() + "system.slice/tapio-probe.service")) {
            List<KernelEvent> input = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                input.add(exec(i % 3 == 0 ? pod.id() : i % 3 == 1 ? unit.id() : unknown, 1000 + i));
            }

            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Metrics.addRegistry(prometheus);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            List<String> identities = new ArrayList<>();
            env.fromData(KernelEventSerializer.TYPE, input.toArray(KernelEvent[]::new))
                    .map(new WorkloadEnricher(
                            EnrichConfig.defaults().withNode(NODE).withoutKubernetes()))
                    .rebalance() // to the next task over the network: EnrichedEvent's own serializer
                    .map(enriched -> enriched.workload().kind() + " "
                            + enriched.workload().key() + " "
                            + enriched.workload().container().id() + " "
                            + enriched.event().pid())
                    .returns(Types.STRING)
                    .executeAndCollect("enrich")
                    .forEachRemaining(identities::add);

            Map<String, Long> byWorkload = identities.stream()
                    .collect(Collectors.groupingBy(s -> s.substring(0, s.lastIndexOf(' ')), Collectors.counting()));
            assertEquals(
                    Map.of(
                            "POD_UNRESOLVED pod-uid/" + uid + " " + id, 100L,
                            "SYSTEMD_UNIT " + NODE + "/unit/tapio-probe.service ", 100L,
                            "HOST " + NODE + "/cgroup/" + unknown + " ", 100L),
                    byWorkload);
            String scrape = prometheus.scrape();
            Metrics.removeRegistry(prometheus);
            for (String kind : List.of("pod_unresolved", "systemd_unit", "host")) {
                assertTrue(
                        scrape.contains("tapio_enrich_events_total{kind=\"" + kind + "\",node=\"" + NODE + "\"} 100.0"),
                        scrape);
            }
        }
    }

    @Test
    void theResolverReportsItsCacheAndLookupsToPrometheus() {
        String node = "metrics-node";
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(prometheus);
        try (WorkloadCgroup cgroup = WorkloadCgroup.create(KubeletPaths.prefix() + "system.slice/tapio-probe.service");
                NodeWorkloadResolver resolver = NodeWorkloadResolver.start(
                        EnrichConfig.defaults().withNode(node).withoutKubernetes())) {
            for (int i = 0; i < 10; i++) {
                resolver.resolve(cgroup.id());
            }
            String scrape = prometheus.scrape();
            assertTrue(scrape.contains("tapio_enrich_cache_entries{node=\"" + node + "\"} 1.0"), scrape);
            assertTrue(scrape.contains("tapio_enrich_lookups_total{node=\"" + node + "\",result=\"hit\"} 9.0"), scrape);
            assertTrue(
                    scrape.contains("tapio_enrich_lookups_total{node=\"" + node + "\",result=\"miss\"} 1.0"), scrape);
        } finally {
            Metrics.removeRegistry(prometheus);
        }
    }

    @Test
    void theSerializerCarriesTheEventAndEveryFieldOfItsWorkload() throws Exception {
        Workload workload = Workload.podFromPath(
                        new Workload.Cgroup(NODE, 42, "/kubepods/pod" + KubeletPaths.uid() + "/x"),
                        Workload.Pod.fromPath(KubeletPaths.uid(), "Burstable"),
                        Workload.Container.fromPath(KubeletPaths.containerId(), "containerd"))
                .describedBy(
                        new Workload.Pod("payments", "checkout-7f9c", "", "", Map.of("app", "checkout", "tier", "web")),
                        new Workload.Container("api", "", "", "checkout:1.4"),
                        new Workload.Owner("Deployment", "checkout"));
        EnrichedEvent enriched = new EnrichedEvent(exec(42, 7), workload);
        DataOutputSerializer out = new DataOutputSerializer(256);
        EnrichedEventSerializer serializer = new EnrichedEventSerializer();
        serializer.serialize(enriched, out);
        EnrichedEvent back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(enriched, back);
        Function<EnrichedEvent, String> shown = e -> e.workload().displayName();
        assertEquals("payments/checkout-7f9c, container api, Deployment checkout", shown.apply(back));
    }

    /** The serializer remembers workloads both ways; interleaved workloads must not be mixed up. */
    @Test
    void interleavedWorkloadsComeBackEachWithItsOwnEvents() throws Exception {
        Workload api = Workload.podFromPath(
                new Workload.Cgroup(NODE, 42, "/kubepods/pod" + KubeletPaths.uid() + "/a"),
                Workload.Pod.fromPath(KubeletPaths.uid(), "Burstable"),
                Workload.Container.fromPath(KubeletPaths.containerId(), "containerd"));
        Workload worker = Workload.podFromPath(
                new Workload.Cgroup(NODE, 43, "/kubepods/pod" + KubeletPaths.uid() + "/b"),
                Workload.Pod.fromPath(KubeletPaths.uid(), "Burstable"),
                Workload.Container.fromPath(KubeletPaths.containerId(), "containerd"));
        List<EnrichedEvent> sent = List.of(
                new EnrichedEvent(exec(42, 1), api),
                new EnrichedEvent(exec(42, 2), api),
                new EnrichedEvent(exec(43, 3), worker),
                new EnrichedEvent(exec(42, 4), api),
                new EnrichedEvent(exec(43, 5), worker),
                new EnrichedEvent(exec(43, 6), worker));
        EnrichedEventSerializer writer = new EnrichedEventSerializer();
        DataOutputSerializer out = new DataOutputSerializer(1024);
        for (EnrichedEvent e : sent) {
            writer.serialize(e, out);
        }
        EnrichedEventSerializer reader = new EnrichedEventSerializer();
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<EnrichedEvent> received = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            received.add(reader.deserialize(in));
        }
        assertEquals(sent, received);
    }
}
