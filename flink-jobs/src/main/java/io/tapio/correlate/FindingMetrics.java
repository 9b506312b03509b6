package io.tapio.correlate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.tapio.correlate.patterns.Pattern;
import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.metrics.Stage;
import io.tapio.ebpf.metrics.StageMetrics;
import io.tapio.model.Finding;
import io.tapio.model.Severity;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the correlator reports besides findings: {@code tapio_findings_total{pattern,severity}}
 * (an incident counts once under each verdict it reaches),
 * the latency of each report (stage {@code finding}), and the batch size it chose.
 */
final class FindingMetrics implements AutoCloseable {
    private final Timer latency = StageMetrics.timer(Stage.FINDING);
    private final Gauge batchSize;

    /**
     * Creates {@code tapio_findings_total} at zero for every pattern the correlator runs: an
     * alert on {@code increase()} only sees a counter's first increment if the series existed
     * before it.
     */
    FindingMetrics(AdaptiveBatchSize batch, int subtask, List<Pattern> patterns) {
        for (Pattern pattern : patterns) {
            pattern.verdicts().forEach(v -> counter(v.pattern(), v.severity()));
        }
        batchSize = Gauge.builder(MetricNames.CORRELATOR_BATCH_SIZE, batch, AdaptiveBatchSize::size)
                .tag("subtask", Integer.toString(subtask))
                .description("Events a key's batch holds, as the adaptive batcher chose")
                .register(Metrics.globalRegistry);
    }

    /** @param newVerdict whether the report is the first under its verdict: the episode opened or escalated */
    void reported(Finding finding, boolean newVerdict) {
        if (newVerdict) {
            counter(finding.pattern(), finding.severity()).increment();
        }
        if (finding.latencyNanos() > 0) {
            latency.record(finding.latencyNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private static Counter counter(String pattern, Severity severity) {
        return Metrics.counter(MetricNames.FINDINGS, "pattern", pattern, "severity", severity.label());
    }

    @Override
    public void close() {
        Metrics.globalRegistry.remove(batchSize);
    }
}
