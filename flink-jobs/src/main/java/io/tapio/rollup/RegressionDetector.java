package io.tapio.rollup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.model.Regression;
import io.tapio.model.Rollup;
import io.tapio.model.RollupMetric;
import io.tapio.model.types.JavaSerializer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Compares each workload's one-minute rollups with the workload's own baseline (the minutes
 * before), metric by metric: a regression is a rise beyond the threshold, on minutes with
 * enough events, that lasts longer than a burst and is certain for a detector that asks every
 * minute ({@link LevelShift}, over the windows of {@link RegressionConfig}). Reported once per
 * rise; {@code tapio_regressions_total} counts them.
 *
 * <p>A metric's history is forgotten once the workload has not reported it for
 * {@link RegressionConfig#historyTtl()}: workloads come and go (every new pod of a job is a
 * new cgroup), and a history that old is no baseline of recent minutes anyway.
 */
public final class RegressionDetector extends KeyedProcessFunction<String, Rollup, Regression> {
    private final RegressionConfig config;
    private transient MapState<String, MetricHistory> history;

    public RegressionDetector(RegressionConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        // At zero from the start, so that an alert on increase() fires on the first regression.
        for (RollupMetric metric : RollupMetric.values()) {
            counter(metric);
        }
        // Named anew with its time-to-live: Flink 2.1 restores no state whose TTL changed, so a
        // checkpoint of an earlier version restores without the baselines, which start again.
        MapStateDescriptor<String, MetricHistory> descriptor = new MapStateDescriptor<>(
                "metric-history-ttl", Types.STRING, JavaSerializer.typeOf(MetricHistory.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(config.historyTtl())
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .build());
        history = getRuntimeContext().getMapState(descriptor);
    }

    @Override
    public void processElement(Rollup rollup, Context ctx, Collector<Regression> out) throws Exception {
        for (var entry : rollup.metrics().entrySet()) {
            RollupMetric metric = entry.getKey();
            Rollup.Sample sample = entry.getValue();
            if (sample.count() < config.minSamples()) {
                continue;
            }
            MetricHistory metricHistory = history.get(metric.label());
            if (metricHistory == null) {
                metricHistory = new MetricHistory();
            }
            MetricHistory.Verdict verdict =
                    metricHistory.observe(sample.value(), sample.count(), rollup.minuteEpochMillis(), config);
            history.put(metric.label(), metricHistory);
            if (verdict != null) {
                counter(metric).increment();
                out.collect(new Regression(
                        rollup.workloadKey(),
                        rollup.workload(),
                        metric,
                        verdict.windowStartEpochMillis(),
                        verdict.baseline(),
                        verdict.current(),
                        100 * verdict.change(),
                        verdict.confidence(),
                        verdict.windows(),
                        verdict.samples()));
            }
        }
    }

    private static Counter counter(RollupMetric metric) {
        return Metrics.counter(MetricNames.REGRESSIONS, "metric", metric.label());
    }
}
