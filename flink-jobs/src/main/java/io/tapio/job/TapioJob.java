package io.tapio.job;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.correlate.Correlator;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.metrics.MetricsExport;
import io.tapio.ebpf.source.ebpf.EbpfSource;
import io.tapio.ebpf.source.replay.ReplaySource;
import io.tapio.ebpf.source.synthetic.SyntheticSource;
import io.tapio.ebpf.types.KernelEventSerializer;
import io.tapio.enrich.EnrichConfig;
import io.tapio.enrich.WorkloadEnricher;
import io.tapio.export.FindingExports;
import io.tapio.history.HistoryConfig;
import io.tapio.history.HistorySinks;
import io.tapio.kafka.AgentEvents;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.Regression;
import io.tapio.model.Rollup;
import io.tapio.model.WorkloadKey;
import io.tapio.model.types.EnrichedEventSerializer;
import io.tapio.model.types.JavaSerializer;
import io.tapio.rollup.RegressionConfig;
import io.tapio.rollup.RegressionDetector;
import io.tapio.rollup.Rollups;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Tapio's streaming job, as DESIGN.md draws it: kernel events in; the job's filter; workload
 * identity (chained to the source: cgroup ids only mean something on their own node); keyed by
 * workload into the correlator, which finds the patterns; and one-minute rollups into the
 * regression detector.
 */
public final class TapioJob {
    public static final String NAME = "tapio";
    /** Events from different CPUs reach the ring slightly out of order; this much is tolerated. */
    static final Duration OUT_OF_ORDERNESS = Duration.ofMillis(200);
    /**
     * How long a partly filled buffer of the keyed exchange may wait before it is sent on.
     * Flink's default (100 ms) would be most of the latency of a quiet stream; at high rates
     * buffers fill first. Only the operator before the exchange gets it: every output with a
     * timeout has an OutputFlusher thread waking that often, busy even on an idle node.
     */
    static final Duration EXCHANGE_BUFFER_TIMEOUT = Duration.ofMillis(1);
    /**
     * How often the sources' watermarks move on. They close the minutes of the rollups and end
     * the correlator's episodes, which are minutes and seconds long: a second more does not
     * matter to them, while Flink's default (200 ms) wakes the task five times a second on an
     * idle node.
     */
    static final Duration WATERMARK_INTERVAL = Duration.ofSeconds(1);

    /** What the job's stages produce, for the sinks to take. */
    public record Outputs(
            DataStream<EnrichedEvent> events,
            DataStream<Finding> findings,
            DataStream<Rollup> rollups,
            DataStream<Regression> regressions) {
        /** Keeps findings, rollups, regressions and the relevant events in the Iceberg history (needs checkpoints). */
        public void writeHistory(HistoryConfig history) {
            HistorySinks.attach(findings, rollups, regressions, events, history);
        }

        /** Sends findings where SREs already look: Kubernetes Events, an OTLP receiver (those that are on). */
        public void exportFindings(FindingExports exports) {
            exports.attach(findings);
        }
    }

    private TapioJob() {}

    /**
     * Adds the job to {@code env}, with its metrics; the caller adds the sinks it wants.
     *
     * @param export where each TaskManager serves the metrics; null when the caller does (a local run)
     */
    public static Outputs define(
            StreamExecutionEnvironment env,
            SourceSpec spec,
            CorrelationConfig correlation,
            RegressionConfig regression,
            MetricsExport export) {
        env.getConfig().enableObjectReuse();
        env.getConfig().setAutoWatermarkInterval(WATERMARK_INTERVAL.toMillis());
        // Every other output flushes each record at once: no flusher threads, and the few
        // low-rate exchanges left (rollups, the history's committables) lose no time waiting.
        env.setBufferTimeout(0);
        boolean nodeLocal = nodeLocal(env, spec);
        SingleOutputStreamOperator<EnrichedEvent> events = spec instanceof SourceSpec.Kafka kafka
                ? AgentEvents.read(env, kafka.topic(), export) // enriched and filtered by the agents, on their nodes
                : env.fromSource(
                                source(spec),
                                WatermarkStrategy.<KernelEvent>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                                        .withIdleness(Duration.ofSeconds(5)),
                                "kernel events (" + spec.label() + ")")
                        .uid("kernel-events")
                        .transform("entry", KernelEventSerializer.TYPE, new EntryProbe(spec.live(), export))
                        .uid("entry")
                        .filter(new Relevance())
                        .name("relevant")
                        .uid("relevant")
                        .map(new WorkloadEnricher(
                                spec instanceof SourceSpec.Ebpf
                                        ? EnrichConfig.defaults()
                                        : EnrichConfig.defaults().withoutKubernetes()))
                        .name("enrich")
                        .uid("enrich");
        if (!nodeLocal && spec.live()) {
            events = events.map(new ExchangeProbe(), EnrichedEventSerializer.TYPE)
                    .name("to the exchange")
                    .uid("to-exchange");
        }
        KeyedStream<EnrichedEvent, String> byWorkload = byWorkload(events, nodeLocal);
        SingleOutputStreamOperator<Finding> findings = findings(byWorkload, correlation, spec.live());
        SingleOutputStreamOperator<Rollup> rollups = Rollups.of(byWorkload);
        KeySelector<Rollup, String> rollupKey = Rollup::workloadKey;
        KeyedStream<Rollup, String> rollupsByWorkload = nodeLocal
                ? DataStreamUtils.reinterpretAsKeyedStream(rollups, rollupKey, Types.STRING)
                : rollups.keyBy(rollupKey);
        SingleOutputStreamOperator<Regression> regressions = rollupsByWorkload
                .process(new RegressionDetector(regression), JavaSerializer.typeOf(Regression.class))
                .name("regressions")
                .uid("regressions");
        return new Outputs(events, findings, rollups, regressions);
    }

    /**
     * Whether all of the job's events come from one reader on this node and every operator runs
     * once (a local run of a kernel, synthetic or replay source). Then every key group belongs
     * to the one subtask already, the events need no exchange to reach their workload's keyed
     * state, and decode to rollups run chained in the reader's task. The Kafka path carries
     * many nodes' events and keeps its exchange.
     */
    static boolean nodeLocal(StreamExecutionEnvironment env, SourceSpec spec) {
        return env.getParallelism() == 1 && !(spec instanceof SourceSpec.Kafka);
    }

    /**
     * The events keyed by workload, which the correlator and the rollups both read, chained to
     * it. Node-local, the stream is declared keyed as it is (no exchange; the keyed state is the
     * same and checkpoints and restores the same, also into a job with more subtasks, which then
     * has the exchange). Otherwise through one network exchange: a keyBy of their own each
     * would send every event twice, two serializations out and two deserializations in.
     */
    public static KeyedStream<EnrichedEvent, String> byWorkload(
            SingleOutputStreamOperator<EnrichedEvent> events, boolean nodeLocal) {
        WorkloadKey key = new WorkloadKey();
        if (nodeLocal) {
            return DataStreamUtils.reinterpretAsKeyedStream(events, key, Types.STRING);
        }
        events.setBufferTimeout(EXCHANGE_BUFFER_TIMEOUT.toMillis());
        DataStream<EnrichedEvent> exchanged = events.keyBy(key)
                .map(event -> event, EnrichedEventSerializer.TYPE)
                .name("by workload")
                .uid("by-workload");
        return DataStreamUtils.reinterpretAsKeyedStream(exchanged, key, Types.STRING);
    }

    /**
     * The correlator over the events of each workload.
     *
     * @param live whether event timestamps are this machine's clock now (latency is measured)
     */
    public static SingleOutputStreamOperator<Finding> findings(
            KeyedStream<EnrichedEvent, String> byWorkload, CorrelationConfig correlation, boolean live) {
        return byWorkload
                .transform("correlate", JavaSerializer.typeOf(Finding.class), new Correlator(correlation, live))
                .uid("correlate");
    }

    static Source<KernelEvent, ?, ?> source(SourceSpec spec) {
        return switch (spec) {
            case SourceSpec.Ebpf ebpf ->
                EbpfSource.builder()
                        .setCollectorConfig(ebpf.collector())
                        .setCoalescing(ebpf.coalescing())
                        .setReaderSlice(ebpf.readerSlice())
                        .build();
            case SourceSpec.Synthetic synthetic ->
                synthetic.paced()
                        ? SyntheticSource.paced(synthetic.config())
                        : SyntheticSource.asFastAsPossible(synthetic.config(), synthetic.maxEvents());
            case SourceSpec.Replay replay -> ReplaySource.atSpeed(replay.file(), replay.speed());
            case SourceSpec.Kafka kafka ->
                throw new IllegalArgumentException(
                        "Kafka carries enriched events, not " + "kernel events: AgentEvents reads " + kafka.label());
        };
    }
}
