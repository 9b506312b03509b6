package io.tapio.correlate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.metrics.StageMetrics;
import io.tapio.model.Finding;
import java.util.concurrent.TimeUnit;

/**
 * What the correlator reports besides findings: {@code tapio_findings_total{pattern,severity}},
 * the latency of each report (stage {@code finding}), and the batch size it chose.
 */
final class FindingMetrics implements AutoCloseable {
    private final Timer latency = StageMetrics.timer("finding");
    private final Gauge batchSize;

    FindingMetrics(AdaptiveBatchSize batch, int subtask) {
        batchSize = Gauge.builder(MetricNames.CORRELATOR_BATCH_SIZE, batch, AdaptiveBatchSize::size)
                .tag("subtask", Integer.toString(subtask))
                .description("Events a key's batch holds, as the adaptive batcher chose")
                .register(Metrics.globalRegistry);
    }

    void reported(Finding finding) {
        if (finding.status() == Finding.Status.OPEN) {
            Metrics.counter(
                            MetricNames.FINDINGS,
                            "pattern",
                            finding.pattern(),
                            "severity",
                            finding.severity().label())
                    .increment();
        }
        if (finding.latencyNanos() > 0) {
            latency.record(finding.latencyNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() {
        Metrics.globalRegistry.remove(batchSize);
    }
}
