package io.tapio.correlate;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.metrics.StageMetrics;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.types.JavaSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Finds the patterns in one workload's events (the stream is keyed by workload), in batches:
 * a key's events wait until its batch is full or {@code flushAfter} has passed, then go
 * through every pattern together. The batch size is the operator's, and moves between its
 * bounds so that batching itself adds no more than the latency target: doubled when a batch
 * filled within the target (counting, for a batch of one, from the key's previous event),
 * halved when the flush timer had to end one. A busy key fills its batches at once and gets
 * large ones, which is when batching pays; a quiet key gets batches of one, which do not
 * wait. Latency that builds up before the correlator (queueing under load) does not shrink
 * the batches: smaller ones would only make catching up slower.
 *
 * <p>Each event's latency from the kernel to the end of its path (here) is measured as stage
 * {@code end}; each report's as stage {@code finding}.
 *
 * <p>Everything is in Flink keyed state (the waiting events, each pattern's episodes), so it
 * survives checkpoints and rescaling. Episodes end on event time, when the watermark passes
 * their quiet period.
 */
public final class Correlator extends KeyedProcessFunction<String, EnrichedEvent, Finding> {
    private final CorrelationConfig config;
    private final boolean live;
    private transient ListState<TimedEvent> waiting;
    private transient ValueState<Integer> waitingCount;
    /** When the key's first waiting event arrived, or with none waiting its last event (System.nanoTime). */
    private transient ValueState<Long> since;
    /**
     * Event time of the first event of the key the correlator saw (of any type): how long the
     * workload has been watched, which is the history a usual level can be taken over. A
     * workload quiet for an hour starts again, so that departed workloads leave no state.
     */
    private transient ValueState<Long> watchedSince;

    private transient MapState<String, Episode> episodes;
    private transient AdaptiveBatchSize batch;
    private transient Map<String, Pattern> patterns;
    private transient FindingMetrics metrics;
    private transient StageMetrics end;

    /** @param live whether event timestamps are this machine's clock now, so latency can be measured */
    public Correlator(CorrelationConfig config, boolean live) {
        this.config = config;
        this.live = live;
    }

    @Override
    public void open(OpenContext context) {
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", TimedEvent.TYPE));
        waitingCount = getRuntimeContext().getState(new ValueStateDescriptor<>("waiting-count", Types.INT));
        since = getRuntimeContext()
                .getState(withTtl(
                        new ValueStateDescriptor<>("since", Types.LONG),
                        Duration.ofMinutes(1),
                        StateTtlConfig.UpdateType.OnCreateAndWrite));
        watchedSince = getRuntimeContext()
                .getState(withTtl(
                        new ValueStateDescriptor<>("watched-since", Types.LONG),
                        WATCH_MEMORY,
                        StateTtlConfig.UpdateType.OnReadAndWrite));
        episodes = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("episodes", Types.STRING, JavaSerializer.typeOf(Episode.class)));
        batch = new AdaptiveBatchSize(config.batch());
        patterns = new java.util.LinkedHashMap<>();
        config.patterns().forEach(p -> patterns.put(p.name(), p));
        getRuntimeContext().getMetricGroup().gauge("batchSize", (Gauge<Integer>) batch::size);
        metrics = new FindingMetrics(batch, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        end = StageMetrics.stage("end");
    }

    @Override
    public void processElement(EnrichedEvent event, Context ctx, Collector<Finding> out) throws Exception {
        TimedEvent timed =
                new TimedEvent(ctx.timestamp() == null ? System.currentTimeMillis() : ctx.timestamp(), event);
        long now = System.nanoTime();
        Integer waitingBefore = waitingCount.value();
        int count = waitingBefore == null ? 1 : waitingBefore + 1;
        Long from = since.value();
        if (count < batch.size()) {
            waiting.add(timed);
            waitingCount.update(count);
            if (count == 1) {
                since.update(now);
                ctx.timerService()
                        .registerProcessingTimeTimer(ctx.timerService().currentProcessingTime()
                                + config.flushAfter().toMillis());
            }
            return;
        }
        // The batch is full. A restored 'since' is another JVM's nanoTime: then the fill time is unknown.
        long filledIn = from == null || from > now ? Long.MAX_VALUE : now - from;
        batch.adjust(false, filledIn <= batch.latencyTargetNanos());
        since.update(now);
        if (waitingBefore == null) {
            correlate(List.of(timed), ctx, out); // a batch of one: no need to go through the waiting list
            return;
        }
        List<TimedEvent> events = takeWaiting();
        events.add(timed);
        correlate(events, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Finding> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (waitingCount.value() == null) {
                return; // the timer of a batch that filled
            }
            Long from = since.value();
            long now = System.nanoTime();
            if (from != null && from <= now && now - from < config.flushAfter().toNanos() / 2) {
                // Timers have whole milliseconds: this one (an earlier batch's, or this batch's own
                // registered just before a millisecond ended) came too soon. Wait a full flushAfter.
                ctx.timerService()
                        .registerProcessingTimeTimer(
                                timestamp + config.flushAfter().toMillis());
                return;
            }
            batch.adjust(true, false); // the batch did not fill within flushAfter
            correlate(takeWaiting(), ctx, out);
        } else {
            endEpisodes(timestamp, ctx, out);
        }
    }

    /** How long a workload without events is still remembered as watched. */
    static final Duration WATCH_MEMORY = Duration.ofHours(1);

    private static <T> ValueStateDescriptor<T> withTtl(
            ValueStateDescriptor<T> descriptor, Duration ttl, StateTtlConfig.UpdateType update) {
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(update)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return descriptor;
    }

    /** The key's waiting events, which then wait no more. */
    private List<TimedEvent> takeWaiting() throws Exception {
        List<TimedEvent> events = new ArrayList<>();
        waiting.get().forEach(events::add);
        waiting.clear();
        waitingCount.clear();
        return events;
    }

    /** Runs a batch of the key's events through the patterns, oldest first. */
    private void correlate(List<TimedEvent> events, Context ctx, Collector<Finding> out) throws Exception {
        if (events.size() > 1) {
            events.sort(Comparator.comparingLong(TimedEvent::epochMillis));
        }
        Long first = watchedSince.value();
        long watched = first != null ? first : events.getFirst().epochMillis();
        if (first == null) {
            watchedSince.update(watched);
        }
        for (TimedEvent timed : events) {
            EnrichedEvent e = timed.event();
            for (Pattern pattern : patterns.values()) {
                Role role = pattern.role(e);
                if (role == Role.IGNORE) {
                    continue;
                }
                String key = pattern.name() + "|" + pattern.subject(e);
                Episode episode = episodes.get(key);
                if (episode == null) {
                    episode = new Episode(pattern.name(), pattern.subject(e), watched);
                }
                Finding.Status report = episode.observe(pattern, role, timed.epochMillis(), e.workload(), e.event());
                episodes.put(key, episode);
                ctx.timerService()
                        .registerEventTimeTimer(
                                toSecond(timed.epochMillis() + pattern.rule().memoryMillis()));
                if (report != null) {
                    long latency = live ? System.nanoTime() - e.event().timestampNs() : 0;
                    out.collect(finding(pattern, episode, report, latency));
                    ctx.timerService()
                            .registerEventTimeTimer(toSecond(
                                    episode.lastSeen() + pattern.rule().quiet().toMillis()));
                }
            }
        }
        for (TimedEvent timed : events) {
            end.record(timed.event().event(), live);
        }
    }

    /** At event time {@code now}: closes the episodes that are over, forgets what is too old to matter. */
    private void endEpisodes(long now, OnTimerContext ctx, Collector<Finding> out) throws Exception {
        Iterator<Map.Entry<String, Episode>> all = episodes.iterator();
        while (all.hasNext()) {
            Episode episode = all.next().getValue();
            Pattern pattern = patterns.get(episode.pattern);
            if (episode.over(pattern, now)) {
                out.collect(finding(pattern, episode, Finding.Status.RESOLVED, 0));
                all.remove();
            } else if (episode.forgettable(pattern, now)) {
                all.remove();
            } else if (episode.open()) {
                ctx.timerService()
                        .registerEventTimeTimer(toSecond(
                                episode.lastSeen() + pattern.rule().quiet().toMillis()));
            }
        }
    }

    /**
     * Timers at the next whole second: a busy key then registers at most one per second and
     * rule, instead of one per event; ending an episode up to a second late is harmless.
     */
    private static long toSecond(long epochMillis) {
        return (epochMillis / 1000 + 1) * 1000;
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
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

    /** tapio_findings_total{pattern,severity}, and the latency of each report. */
    private static final class FindingMetrics {
        private final Timer latency = Timer.builder(MetricNames.PROCESSING_DURATION)
                .tag("stage", "finding")
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofNanos(1_000))
                .maximumExpectedValue(java.time.Duration.ofSeconds(30))
                .register(Metrics.globalRegistry);

        private final io.micrometer.core.instrument.Gauge batchSize;

        FindingMetrics(AdaptiveBatchSize batch, int subtask) {
            batchSize = io.micrometer.core.instrument.Gauge.builder(
                            MetricNames.CORRELATOR_BATCH_SIZE, batch, AdaptiveBatchSize::size)
                    .tag("subtask", Integer.toString(subtask))
                    .description("Events a key's batch holds, as the adaptive batcher chose")
                    .register(Metrics.globalRegistry);
        }

        void close() {
            Metrics.globalRegistry.remove(batchSize);
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
    }
}
