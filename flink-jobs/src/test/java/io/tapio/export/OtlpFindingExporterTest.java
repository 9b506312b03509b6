package io.tapio.export;

import static io.tapio.export.Reports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.model.Finding.Status;
import io.tapio.model.Severity;
import io.tapio.model.Workload;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OTLP export against a real OTLP/HTTP receiver on loopback ({@link OtlpReceiver}): a pod's
 * finding carries where it happened under the semantic conventions' names, and the queue is
 * bounded, what it cannot hold counted, when the receiver hangs.
 */
class OtlpFindingExporterTest {
    @RegisterExtension
    static final CountedMetrics METERS = new CountedMetrics();

    private static double dropped(String reason) {
        return METERS.count(MetricNames.OTLP_LOG_RECORDS_DROPPED, "reason", reason);
    }

    @Test
    void aPodsFindingNamesItsNamespacePodContainerAndOwner() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            OtlpFindingExporter exporter = OtlpFindingExporter.start(
                    OtlpConfig.resolve(receiver.url(), Map.of(), Map.of()).orElseThrow(), "node-1");
            Workload checkout = Reports.pod("shop", "checkout-7f9c-x2v4q", "0b7e9a52");
            exporter.offer(report("e1", Status.UPDATE, Severity.CRITICAL, checkout, 9, 1_800_000_040_000L));
            exporter.close();
            OtlpReceiver.Received record = receiver.records().getFirst();
            assertEquals("shop", record.string("k8s.namespace.name"));
            assertEquals("checkout-7f9c-x2v4q", record.string("k8s.pod.name"));
            assertEquals("0b7e9a52", record.string("k8s.pod.uid"));
            assertEquals("api", record.string("k8s.container.name"));
            assertEquals("checkout", record.string("k8s.deployment.name"));
            assertEquals(Reports.NODE, record.string("k8s.node.name"));
            assertEquals("shop/deployment/checkout", record.string("tapio.workload"));
            assertEquals("update", record.string("tapio.status"));
            assertEquals(9L, record.attributes().get("tapio.count"));
            assertEquals(SeverityNumber.SEVERITY_NUMBER_ERROR, record.record().getSeverityNumber());
            assertEquals("node-1", record.resource().get("host.name"));
        }
    }

    @Test
    void aReceiverThatHangsFillsTheQueueAndEveryRecordPastItIsCounted() throws Exception {
        int queue = 4;
        double full = dropped("queue_full");
        double lost = dropped("export_failed") + dropped("unsent_at_exit");
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            receiver.hold();
            OtlpFindingExporter exporter = OtlpFindingExporter.start(
                    new OtlpConfig(receiver.url() + "/v1/logs", Map.of(), queue, Duration.ofSeconds(2)), "node-1");
            exporter.offer(report("first", Status.OPEN, Severity.WARNING, Reports.host(), 3, 1_800_000_040_000L));
            receiver.awaitFirstRequest();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int i = 0; i < queue + 3; i++) {
                    exporter.offer(
                            report("later-" + i, Status.OPEN, Severity.WARNING, Reports.host(), 3, 1_800_000_040_000L));
                }
            });
            assertEquals(3, dropped("queue_full") - full);
            assertTimeoutPreemptively(OtlpFindingExporter.DRAIN.multipliedBy(2), exporter::close);
            assertEquals(
                    1 + queue,
                    dropped("export_failed") + dropped("unsent_at_exit") - lost,
                    "the batch never answered and the queue behind it");
        }
    }
}
