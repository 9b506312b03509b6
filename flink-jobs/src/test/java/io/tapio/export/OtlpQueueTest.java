package io.tapio.export;

import static io.tapio.export.Reports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.model.Finding.Status;
import io.tapio.model.Severity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OTLP export's queue is bounded and what it cannot hold is counted, against a real OTLP/HTTP
 * receiver on loopback ({@link OtlpReceiver}) that takes the first batch and does not answer.
 */
class OtlpQueueTest {
    @RegisterExtension
    static final CountedMetrics METERS = new CountedMetrics();

    private static double dropped(String reason) {
        return METERS.count(MetricNames.OTLP_LOG_RECORDS_DROPPED, "reason", reason);
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
