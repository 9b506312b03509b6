package io.tapio.correlate;

import io.tapio.correlate.patterns.Episode;
import io.tapio.correlate.patterns.Pattern;
import io.tapio.ebpf.metrics.Stage;
import io.tapio.ebpf.metrics.StageMetrics;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Finds the patterns in one workload's events (the stream is keyed by workload): the events
 * wait in the key's {@link KeyedBatch}, then go through every pattern together
 * ({@link Episodes}); each report is a {@link Finding}.
 *
 * <p>Each event's latency from the kernel is measured as it arrives (stage {@code correlator}),
 * as its batch is released ({@code batched}) and at the end of its path, through the patterns
 * ({@code end}); each report's as stage {@code finding}.
 *
 * <p>Everything is in Flink keyed state (the waiting events, each pattern's episodes), so it
 * survives checkpoints and rescaling.
 */
public final class Correlator extends KeyedProcessFunction<String, EnrichedEvent, Finding> {
    private final CorrelationConfig config;
    private final boolean live;
    private transient KeyedBatch batch;
    private transient Episodes episodes;
    private transient FindingMetrics metrics;
    private transient StageMetrics arrived;
    private transient StageMetrics batched;
    private transient StageMetrics end;

    /** @param live whether event timestamps are this machine's clock now, so latency can be measured */
    public Correlator(CorrelationConfig config, boolean live) {
        this.config = config;
        this.live = live;
    }

    @Override
    public void open(OpenContext context) {
        batch = new KeyedBatch(getRuntimeContext(), config.batch(), config.flushAfter());
        episodes = new Episodes(getRuntimeContext(), config.patterns(), live);
        getRuntimeContext().getMetricGroup().gauge("batchSize", (Gauge<Integer>) batch.size()::size);
        metrics = new FindingMetrics(
                batch.size(), getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), config.patterns());
        arrived = StageMetrics.stage(Stage.CORRELATOR);
        batched = StageMetrics.stage(Stage.BATCHED);
        end = StageMetrics.stage(Stage.END);
    }

    @Override
    public void processElement(EnrichedEvent event, Context ctx, Collector<Finding> out) throws Exception {
        arrived.record(event.event(), live);
        TimedEvent timed =
                new TimedEvent(ctx.timestamp() == null ? System.currentTimeMillis() : ctx.timestamp(), event);
        correlate(batch.add(timed, ctx.timerService()), ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Finding> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            correlate(batch.flush(timestamp, ctx.timerService()), ctx, out);
        } else {
            episodes.end(
                    timestamp,
                    ctx.timerService(),
                    (pattern, episode, status, latency) -> out.collect(finding(pattern, episode, status, latency)));
        }
    }

    private void correlate(List<TimedEvent> events, Context ctx, Collector<Finding> out) throws Exception {
        if (events.isEmpty()) {
            return;
        }
        for (TimedEvent timed : events) {
            batched.record(timed.event().event(), live);
        }
        episodes.observe(
                events,
                ctx.timerService(),
                (pattern, episode, status, latency) -> out.collect(finding(pattern, episode, status, latency)));
        for (TimedEvent timed : events) {
            end.record(timed.event().event(), live);
        }
    }

    private Finding finding(Pattern pattern, Episode episode, Finding.Status status, long latencyNanos) {
        Finding finding = new Finding(
                episode.id(),
                status,
                pattern.name(),
                pattern.severity(),
                episode.workload(),
                episode.subject(),
                episode.firstSeen(),
                episode.lastSeen(),
                episode.count(),
                pattern.summary(episode),
                pattern.recommendation(episode),
                episode.evidence(),
                System.currentTimeMillis(),
                latencyNanos);
        metrics.reported(finding);
        return finding;
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
