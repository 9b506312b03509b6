package io.tapio.job;

import io.tapio.ebpf.metrics.Stage;
import io.tapio.ebpf.metrics.StageMetrics;
import io.tapio.model.EnrichedEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Where enriched events leave for the keyed exchange: their latency from the kernel measured
 * (stage {@code enriched}), so that the exchange's own share shows beside the correlator's
 * arrival. Only jobs with an exchange have it; their events' timestamps are this node's clock.
 */
final class ExchangeProbe extends RichMapFunction<EnrichedEvent, EnrichedEvent> {
    private transient StageMetrics metrics;

    @Override
    public void open(OpenContext context) {
        metrics = StageMetrics.stage(Stage.ENRICHED);
    }

    @Override
    public EnrichedEvent map(EnrichedEvent event) {
        metrics.record(event.event(), true);
        return event;
    }
}
