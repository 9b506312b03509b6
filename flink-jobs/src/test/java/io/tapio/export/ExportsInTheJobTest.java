package io.tapio.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.tapio.correlate.BusyNode;
import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.node.NodeName;
import io.tapio.ebpf.source.synthetic.SyntheticSource;
import io.tapio.ebpf.synthetic.DemoFaults;
import io.tapio.ebpf.synthetic.InjectedFault;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.job.SourceSpec;
import io.tapio.job.TapioJob;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.Workload;
import io.tapio.model.types.EnrichedEventSerializer;
import io.tapio.rollup.RegressionConfig;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Findings of a real job leave it: Tapio's streaming job in a MiniCluster, on the synthetic
 * source with injected faults (deterministic: virtual time), its findings sent as Kubernetes
 * Events and as OTLP log records, each compared with the findings the job reported.
 *
 * <p>There is no Kubernetes API server on the build machines: the Events go to fabric8's mock
 * server in CRUD mode on loopback ({@link EventsApi}). The OTLP receiver is a real HTTP server on
 * loopback that decodes the protobuf payloads ({@link OtlpReceiver}).
 */
@Timeout(180)
class ExportsInTheJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    @RegisterExtension
    static final CountedMetrics METERS = new CountedMetrics();

    private static final InjectedFault CRASH_LOOP = DemoFaults.named("crash-loop");
    private static final InjectedFault REFUSED = DemoFaults.named("refused-connections");
    private static final SyntheticConfig CONFIG = BusyNode.with(11, CRASH_LOOP, REFUSED);
    /** Three minutes of virtual time. */
    private static final long EVENTS = 180_000;

    /** The pod the crash-looping workload's events are attributed to. */
    private static final Workload CHECKOUT_POD =
            Reports.pod("shop", "checkout-7f9c-x2v4q", "0b7e9a52-5d1c-4c3e-9b7a-1f2e3d4c5b6a");

    /** The crash loop's events in a pod the API described; every other event a host process's. */
    private static final class CrashLoopInAPod implements MapFunction<KernelEvent, EnrichedEvent> {
        @Override
        public EnrichedEvent map(KernelEvent event) {
            return new EnrichedEvent(
                    event,
                    event.cgroupId() == CRASH_LOOP.workload().cgroupId()
                            ? CHECKOUT_POD
                            : Workload.host(new Workload.Cgroup(Reports.NODE, event.cgroupId(), "")));
        }
    }

    /** Runs the correlator over the faults with the Events sink; returns the findings it reported. */
    private static List<Finding> runWithEvents(EventsConfig events) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SingleOutputStreamOperator<EnrichedEvent> enriched = env.fromSource(
                        SyntheticSource.asFastAsPossible(CONFIG, EVENTS),
                        WatermarkStrategy.<KernelEvent>forBoundedOutOfOrderness(Duration.ofMillis(200)),
                        "synthetic")
                .map(new CrashLoopInAPod(), EnrichedEventSerializer.TYPE);
        var findings = TapioJob.findings(TapioJob.byWorkload(enriched, true), CorrelationConfig.defaults(), false);
        CloseableIterator<Finding> reported = findings.collectAsync();
        new FindingExports(events, null).attach(findings);
        env.execute("findings as Kubernetes Events");
        List<Finding> all = new ArrayList<>();
        reported.forEachRemaining(all::add);
        return all;
    }

    private static List<Finding> crashLoopReports(List<Finding> findings) {
        List<Finding> reports = findings.stream()
                .filter(f -> f.pattern().equals("crash_loop") && f.workload().equals(CHECKOUT_POD))
                .toList();
        assertTrue(reports.size() >= 2, "the crash loop opened and was reported again: " + reports);
        return reports;
    }

    @Test
    void aCrashLoopsReportsAreOneEventOnItsPodAndHostProcessesGetNone() throws Exception {
        double posted = METERS.count(MetricNames.KUBERNETES_EVENTS_POSTED);
        double updated = METERS.count(MetricNames.KUBERNETES_EVENTS_UPDATED);
        try (EventsApi api = new EventsApi()) {
            List<Finding> findings =
                    runWithEvents(EventsConfig.of(EventsConfig.Mode.ON).withApi(api.url()));
            List<Finding> reports = crashLoopReports(findings);
            assertTrue(
                    findings.size() > reports.size(), "the faults outside the pod were found too: " + findings.size());
            Finding last = reports.getLast();
            assertEquals(Finding.Status.RESOLVED, last.status());

            assertEquals(reports.size(), api.requests().size(), "one call per report of the pod, none for the host");
            List<Event> events = api.events("shop");
            assertEquals(1, events.size(), events.toString());
            Event event = events.getFirst();
            assertEquals("TapioCrashLoop", event.getReason());
            assertEquals("Warning", event.getType());
            assertEquals(CHECKOUT_POD.pod().uid(), event.getInvolvedObject().getUid());
            assertEquals((int) last.count(), event.getCount());
            assertEquals(seconds(last.firstSeenEpochMillis()), event.getFirstTimestamp());
            assertEquals(seconds(last.lastSeenEpochMillis()), event.getLastTimestamp());
            assertEquals(PodEvents.message(last), event.getMessage());
            assertTrue(event.getMessage().contains("keeps failing"), event.getMessage());
            assertEquals(1, METERS.count(MetricNames.KUBERNETES_EVENTS_POSTED) - posted);
            assertEquals(reports.size() - 1, METERS.count(MetricNames.KUBERNETES_EVENTS_UPDATED) - updated);
        }
    }

    /**
     * The API takes each call and never answers it: the job still ends, nothing was posted, and
     * every report is counted as dropped (a call the client gave up on, a full queue, or still
     * queued when the job ended).
     */
    @Test
    void aJobWhoseApiHangsEndsAndCountsWhatItCouldNotPost() throws Exception {
        double posted = METERS.count(MetricNames.KUBERNETES_EVENTS_POSTED)
                + METERS.count(MetricNames.KUBERNETES_EVENTS_UPDATED);
        double before = METERS.dropped(MetricNames.KUBERNETES_EVENTS_DROPPED, EventPoster.DROP_REASONS);
        double unreachable = METERS.dropped(MetricNames.KUBERNETES_EVENTS_DROPPED, List.of("api_unreachable"));
        try (EventsApi api = new EventsApi()) {
            api.hang();
            List<Finding> reports = crashLoopReports(
                    runWithEvents(EventsConfig.of(EventsConfig.Mode.ON).withApi(api.url())));
            assertFalse(api.requests().isEmpty());
            assertEquals(
                    posted,
                    METERS.count(MetricNames.KUBERNETES_EVENTS_POSTED)
                            + METERS.count(MetricNames.KUBERNETES_EVENTS_UPDATED));
            assertEquals(
                    reports.size(),
                    METERS.dropped(MetricNames.KUBERNETES_EVENTS_DROPPED, EventPoster.DROP_REASONS) - before,
                    "every report of the pod was dropped and counted");
            assertTrue(
                    METERS.dropped(MetricNames.KUBERNETES_EVENTS_DROPPED, List.of("api_unreachable")) - unreachable
                            >= 1,
                    "the call the API never answered");
        }
    }

    /** The whole job, as tapio run defines it, with its findings exported to an OTLP receiver. */
    private static List<Finding> runWithOtlp(OtlpConfig otlp) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        TapioJob.Outputs outputs = TapioJob.define(
                env,
                new SourceSpec.Synthetic(CONFIG, EVENTS, false),
                CorrelationConfig.defaults(),
                RegressionConfig.defaults(),
                null);
        CloseableIterator<Finding> reported = outputs.findings().collectAsync();
        outputs.exportFindings(new FindingExports(EventsConfig.of(EventsConfig.Mode.OFF), otlp));
        env.execute("findings over OTLP");
        List<Finding> all = new ArrayList<>();
        reported.forEachRemaining(all::add);
        return all;
    }

    @Test
    void everyFindingArrivesAtTheOtlpReceiverAsALogRecordWithItsAttributes() throws Exception {
        double exported = METERS.count(MetricNames.OTLP_LOG_RECORDS_EXPORTED);
        double before = METERS.dropped(MetricNames.OTLP_LOG_RECORDS_DROPPED, OtlpFindingExporter.DROP_REASONS);
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            OtlpConfig otlp = OtlpConfig.resolve(receiver.url(), Map.of("Authorization", "Bearer t0ken"), Map.of())
                    .orElseThrow();
            List<Finding> findings = runWithOtlp(otlp);
            List<OtlpReceiver.Received> records = receiver.records();

            assertEquals(
                    findings.stream()
                            .map(f -> f.episodeId() + " " + f.status().name().toLowerCase() + " " + f.count())
                            .collect(Collectors.toSet()),
                    records.stream()
                            .map(r -> r.string("tapio.episode.id") + " " + r.string("tapio.status") + " "
                                    + r.attributes().get("tapio.count"))
                            .collect(Collectors.toSet()));
            assertEquals(findings.size(), records.size(), "each report once");
            assertEquals(findings.size(), METERS.count(MetricNames.OTLP_LOG_RECORDS_EXPORTED) - exported);
            assertEquals(
                    0, METERS.dropped(MetricNames.OTLP_LOG_RECORDS_DROPPED, OtlpFindingExporter.DROP_REASONS) - before);

            Finding crash = findings.stream()
                    .filter(f -> f.pattern().equals("crash_loop") && f.status() == Finding.Status.OPEN)
                    .findFirst()
                    .orElseThrow();
            OtlpReceiver.Received record = records.stream()
                    .filter(r -> crash.episodeId().equals(r.string("tapio.episode.id"))
                            && "open".equals(r.string("tapio.status")))
                    .findFirst()
                    .orElseThrow();
            assertEquals(crash.summary(), record.record().getBody().getStringValue());
            assertEquals("tapio.finding", record.record().getEventName());
            assertEquals("warning", record.record().getSeverityText());
            assertEquals(
                    io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_WARN,
                    record.record().getSeverityNumber());
            assertEquals(
                    crash.detectedEpochMillis() * 1_000_000, record.record().getTimeUnixNano());
            assertEquals("crash_loop", record.string("tapio.pattern"));
            assertEquals("warning", record.string("tapio.severity"));
            assertEquals(crash.count(), record.attributes().get("tapio.count"));
            assertEquals(crash.workload().key(), record.string("tapio.workload"));
            assertEquals(NodeName.local(), record.string("k8s.node.name"));
            assertEquals(crash.recommendation(), record.string("tapio.recommendation"));
            @SuppressWarnings("unchecked")
            List<String> evidence = (List<String>) record.attributes().get("tapio.evidence");
            assertEquals(crash.evidence().size(), evidence.size());
            assertTrue(evidence.getLast().contains("exited with status 1"), evidence.toString());
            assertFalse(record.attributes().containsKey("k8s.pod.name"), "a host process has no pod");
            assertEquals("tapio", record.resource().get("service.name"));
            assertTrue(
                    receiver.header("Authorization").stream().allMatch(h -> h.equals("[Bearer t0ken]")),
                    receiver.header("Authorization").toString());
            Set<String> patterns =
                    records.stream().map(r -> r.string("tapio.pattern")).collect(Collectors.toSet());
            assertTrue(patterns.containsAll(Set.of("crash_loop", "dependency_unreachable")), patterns.toString());
        }
    }

    @Test
    void withTheReceiverDownTheJobEndsAndEveryFindingIsCountedAsDropped() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        double exported = METERS.count(MetricNames.OTLP_LOG_RECORDS_EXPORTED);
        double before = METERS.dropped(MetricNames.OTLP_LOG_RECORDS_DROPPED, OtlpFindingExporter.DROP_REASONS);
        List<Finding> findings = runWithOtlp(new OtlpConfig(
                "http://127.0.0.1:" + closedPort + "/v1/logs",
                Map.of(),
                OtlpConfig.DEFAULT_QUEUE,
                Duration.ofSeconds(2)));
        assertFalse(findings.isEmpty());
        assertEquals(0, METERS.count(MetricNames.OTLP_LOG_RECORDS_EXPORTED) - exported);
        assertEquals(
                findings.size(),
                METERS.dropped(MetricNames.OTLP_LOG_RECORDS_DROPPED, OtlpFindingExporter.DROP_REASONS) - before);
    }

    private static String seconds(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
