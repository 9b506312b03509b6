package io.tapio.kafka;

import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.abi.SafeText;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.metrics.MetricsExport;
import io.tapio.ebpf.metrics.Stage;
import io.tapio.ebpf.metrics.StageMetrics;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.types.JavaSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the agents' events enter the job: each event goes on, counted in
 * {@code tapio_events_processed_total} under the node it came from; each record that could not
 * be decoded goes to {@link #DEAD_LETTERS}, counted in
 * {@code tapio_kafka_dead_letters_total{problem}} and logged (at most every 10 s).
 */
final class SplitDeadLetters extends ProcessFunction<FromAgent, EnrichedEvent> {
    static final OutputTag<FromAgent.DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", JavaSerializer.typeOf(FromAgent.DeadLetter.class));
    private static final Logger LOG = LoggerFactory.getLogger(SplitDeadLetters.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final MetricsExport export;
    private transient Map<String, StageMetrics> entryByNode;
    private transient Counter deadLetters;
    private transient long lastLog;
    private transient long unlogged;

    /** @param export where this JVM serves the metrics; null when the caller serves them (a local run) */
    SplitDeadLetters(MetricsExport export) {
        this.export = export;
    }

    @Override
    public void open(OpenContext context) {
        if (export != null) {
            export.ensureServing();
        }
        entryByNode = new HashMap<>();
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
        lastLog = System.nanoTime() - LOG_EVERY_NANOS;
    }

    @Override
    public void processElement(FromAgent record, Context ctx, Collector<EnrichedEvent> out) {
        switch (record) {
            case FromAgent.Event event -> {
                EnrichedEvent enriched = event.enriched();
                // Not live: the kernel's timestamp is another machine's monotonic clock.
                entryByNode
                        .computeIfAbsent(enriched.workload().node(), node -> StageMetrics.entry(Stage.SOURCE, node))
                        .record(enriched.event(), false);
                out.collect(enriched);
            }
            case FromAgent.DeadLetter letter -> {
                deadLetters.inc();
                Metrics.counter(
                                MetricNames.KAFKA_DEAD_LETTERS,
                                "problem",
                                letter.problem().label())
                        .increment();
                ctx.output(DEAD_LETTERS, letter);
                log(letter);
            }
        }
    }

    private void log(FromAgent.DeadLetter letter) {
        long now = System.nanoTime();
        if (now - lastLog < LOG_EVERY_NANOS) {
            unlogged++;
            return;
        }
        LOG.warn(
                "Record {} is not a batch this job can decode ({}); it goes to the dead-letter topic{}",
                letter.source(),
                SafeText.of(letter.reason()), // it quotes what the record held
                unlogged == 0 ? "" : " (with " + unlogged + " more since the last " + "such message)");
        lastLog = now;
        unlogged = 0;
    }

    @Override
    public void close() {
        if (entryByNode != null) {
            entryByNode.values().forEach(StageMetrics::flush);
        }
    }
}
