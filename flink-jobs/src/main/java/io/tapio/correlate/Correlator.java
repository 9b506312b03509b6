package io.tapio.correlate;

import io.tapio.correlate.patterns.Episode;
import io.tapio.correlate.patterns.Pattern;
import io.tapio.correlate.patterns.Verdict;
import io.tapio.correlate.process.EventTimers;
import io.tapio.correlate.process.Failure;
import io.tapio.correlate.process.Observation;
import io.tapio.correlate.process.ProcessTracker;
import io.tapio.ebpf.metrics.Stage;
import io.tapio.ebpf.metrics.StageMetrics;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Finds the patterns in one workload's events (the stream is keyed by workload): the events
 * wait in the key's {@link KeyedBatch}, then the {@link ProcessTracker} follows the workload's
 * processes through them and makes the ends of failed runs into failures with their causes,
 * and the events and failures go through every pattern together ({@link Episodes}); each
 * report is a {@link Finding}.
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
    private transient ProcessTracker processes;
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
        batch = new KeyedBatch(getRuntimeContext(), config.batch());
        processes = new ProcessTracker(getRuntimeContext());
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
        correlate(batch.add(ctx.getCurrentKey(), timed, ctx.timerService()), ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Finding> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            correlate(batch.flush(), ctx, out);
        } else {
            // The watermark passed: what waits in the batch is older, and goes first.
            correlate(batch.drain(), ctx, out);
            List<Failure> alone = processes.expire(timestamp);
            if (!alone.isEmpty()) {
                episodes.observe(new ArrayList<>(alone), ctx.timerService(), reports(out));
            }
            episodes.end(timestamp, ctx.timerService(), reports(out));
            if (EventTimers.sweeps(timestamp)) {
                processes.sweep(timestamp, ctx.timerService());
            }
        }
    }

    private void correlate(List<TimedEvent> events, Context ctx, Collector<Finding> out) throws Exception {
        if (events.isEmpty()) {
            return;
        }
        if (events.size() > 1) {
            events.sort(Comparator.comparingLong(TimedEvent::epochMillis)); // a batch of more than one is its own list
        }
        List<Observation> observations = new ArrayList<>(events.size() + 1);
        Consumer<Failure> failed = observations::add; // one a batch, not one an event
        for (int i = 0; i < events.size(); i++) {
            TimedEvent timed = events.get(i);
            batched.record(timed.event().event(), live);
            EnrichedEvent e = timed.event();
            observations.add(new Observation.Seen(timed.epochMillis(), e.workload(), e.event()));
            processes.observe(timed.epochMillis(), e.event(), e.workload(), ctx.timerService(), failed);
        }
        episodes.observe(observations, ctx.timerService(), reports(out));
        for (int i = 0; i < events.size(); i++) {
            end.record(events.get(i).event().event(), live);
        }
    }

    private Episodes.Reports reports(Collector<Finding> out) {
        return (pattern, episode, status, latency) -> out.collect(finding(pattern, episode, status, latency));
    }

    private Finding finding(Pattern pattern, Episode episode, Finding.Status status, long latencyNanos) {
        Verdict verdict = pattern.verdict(episode);
        Finding finding = new Finding(
                episode.id(),
                status,
                verdict.pattern(),
                verdict.severity(),
                episode.workload(),
                episode.subject(),
                episode.firstSeen(),
                episode.lastSeen(),
                episode.count(),
                pattern.summary(episode),
                pattern.recommendation(episode),
                episode.evidence(),
                System.currentTimeMillis(),
                latencyNanos,
                episode.cause() == null
                        ? null
                        : new Finding.Cause(
                                episode.cause().kind().pattern(),
                                episode.cause().subject(),
                                episode.cause().describe()));
        metrics.reported(finding, status != Finding.Status.RESOLVED && episode.newVerdict());
        return finding;
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
