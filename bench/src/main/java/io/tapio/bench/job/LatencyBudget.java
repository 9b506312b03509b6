package io.tapio.bench.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.metrics.Stage;
import io.tapio.status.LatencyWindow;
import io.tapio.status.TapioStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where an event's time goes on its way through the job, over a window: the latency from the
 * kernel's timestamp to each stage the job measured ({@link Stage}, the histograms of
 * {@code tapio_event_processing_duration_seconds}), and each stage's own share, the increase
 * of the quantile over the stage before it. Every stage samples the same events, so the
 * increases compare like with like; the share of p99 is still an increase of quantiles, not
 * the p99 of the stage alone (the first stage's is exact).
 */
public final class LatencyBudget {
    /** The stages of an event's path, in order; findings are not events. */
    private static final List<Stage> PATH =
            List.of(Stage.RING, Stage.SOURCE, Stage.ENRICHED, Stage.CORRELATOR, Stage.BATCHED, Stage.END);

    /**
     * One stage over the window, in seconds.
     *
     * @param work what happened between the stage before and this one
     * @param ownP50 the increase of p50 over the stage before (from the kernel for the first)
     */
    public record Row(Stage stage, String work, long samples, double p50, double p99, double ownP50, double ownP99) {}

    private final MeterRegistry registry;
    private final Map<Stage, LatencyWindow> windows = new EnumMap<>(Stage.class);

    public LatencyBudget(MeterRegistry registry) {
        this.registry = registry;
        PATH.forEach(stage -> windows.put(stage, new LatencyWindow()));
    }

    /** Starts a window: what was measured before is left out. */
    public void open() {
        PATH.forEach(stage -> windows.get(stage).next(timer(stage)));
    }

    /** The stages measured since {@link #open}, in the order of the path; stages without samples left out. */
    public List<Row> close() {
        List<Row> rows = new ArrayList<>();
        Row previous = null;
        for (Stage stage : PATH) {
            TapioStatus.Latency latency = windows.get(stage).next(timer(stage));
            if (latency.samples() == 0 || latency.p50() == null) {
                continue;
            }
            // Without an exchange the correlator comes right after the entry: filter and enrich.
            String work = stage == Stage.CORRELATOR && (previous == null || previous.stage() != Stage.ENRICHED)
                    ? Stage.ENRICHED.work()
                    : stage.work();
            Row row = new Row(
                    stage,
                    work,
                    latency.samples(),
                    latency.p50(),
                    latency.p99(),
                    latency.p50() - (previous == null ? 0 : previous.p50()),
                    latency.p99() - (previous == null ? 0 : previous.p99()));
            rows.add(row);
            previous = row;
        }
        return rows;
    }

    private Timer timer(Stage stage) {
        return registry.find(MetricNames.PROCESSING_DURATION)
                .tag("stage", stage.label())
                .timer();
    }
}
