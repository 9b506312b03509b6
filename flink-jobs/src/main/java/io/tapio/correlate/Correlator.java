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
import io.tapio.model.WorkloadKeyedOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.YieldingOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the patterns in one workload's events (the stream is keyed by workload): the events
 * wait in the key's batch ({@link KeyedBatches}), then the {@link ProcessTracker} follows the
 * workload's processes through them and makes the ends of failed runs into failures with their
 * causes, and the events and failures go through every pattern together ({@link Episodes}); each
 * report is a {@link Finding}.
 *
 * <p>A batch that does not fill ends once the task has handed over the records the source read
 * with it: the first event that waits puts one mail in the task's mailbox, which Flink runs after
 * the records in hand, so a partial batch waits for the rest of its burst and never for a clock
 * or another thread. (A processing-time timer per partial batch did the same through Flink's
 * timer thread: a thread wakeup, and a timer's registration and removal, at every hand-over.)
 * Before a checkpoint every partial batch ends, so checkpoints hold no waiting event.
 *
 * <p>The key is set once a batch, when the batch is correlated, not for each event as Flink does
 * for a keyed operator ({@link WorkloadKeyedOperator}): an event only joins its key's batch, for
 * which the key itself is enough. Flink's key context per event was about 5% of the task's time
 * replaying a capture as fast as it goes.
 *
 * <p>Each event's latency from the kernel is measured as it arrives (stage {@code correlator}),
 * as its batch is released ({@code batched}) and at the end of its path, through the patterns
 * ({@code end}); each report's as stage {@code finding}.
 *
 * <p>Everything that outlasts a hand-over is in Flink keyed state (the processes, each pattern's
 * episodes) and event-time timers, so it survives checkpoints and rescaling. The eBPF and replay
 * sources' events are lent ({@code KernelEvent#lent()}): readable until the source's next poll,
 * which Flink makes after this operator's mail. So the mail, which every hand-over with an event
 * schedules, also has the state keep copies of the lent events it took (a process's latest cause,
 * an episode's evidence): one per process or episode and hand-over, not one per event.
 */
public final class Correlator extends WorkloadKeyedOperator<Finding> implements YieldingOperator<Finding> {
    private static final Logger LOG = LoggerFactory.getLogger(Correlator.class);

    private final CorrelationConfig config;
    private final boolean live;
    private transient MailboxExecutor mailbox;
    private transient boolean endScheduled;
    private transient KeyedBatches batches;
    private transient TimerService timers;
    private transient TimestampedCollector<Finding> out;
    private transient Episodes.Reports reports;
    private transient ProcessTracker processes;
    private transient Episodes episodes;
    private transient FindingMetrics metrics;
    private transient StageMetrics arrived;
    private transient StageMetrics batched;
    private transient StageMetrics end;
    /** The observation of each event in turn, handed to the patterns and then pointed at the next. */
    private transient Observation.Seen seen;
    /** The failures the process tracker completes with an event: emptied after each. */
    private transient List<Failure> failures;
    /** Adds the failures the process tracker completes to {@link #failures}. */
    private transient Consumer<Failure> failed;

    /** @param live whether event timestamps are this machine's clock now, so latency can be measured */
    public Correlator(CorrelationConfig config, boolean live) {
        this.config = config;
        this.live = live;
    }

    @Override
    public void setMailboxExecutor(MailboxExecutor mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        batches = new KeyedBatches(config.batch());
        if (context.isRestored()) {
            int moved = RestoredWaiting.moveInto(getKeyedStateBackend(), batches);
            if (moved > 0) {
                LOG.info("{} events that waited in a partial batch at the checkpoint are correlated first", moved);
                scheduleEnd();
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = new SimpleTimerService(timers());
        out = new TimestampedCollector<>(output);
        reports = (pattern, episode, status, latency) -> out.collect(finding(pattern, episode, status, latency));
        processes = new ProcessTracker(getRuntimeContext());
        episodes = new Episodes(getRuntimeContext(), config.patterns(), live);
        getMetricGroup().gauge("batchSize", (Gauge<Integer>) batches.size()::size);
        metrics = new FindingMetrics(
                batches.size(), getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), config.patterns());
        arrived = StageMetrics.stage(Stage.CORRELATOR);
        batched = StageMetrics.stage(Stage.BATCHED);
        end = StageMetrics.stage(Stage.END);
        seen = new Observation.Seen(0, null, null);
        failures = new ArrayList<>();
        failed = failures::add;
    }

    @Override
    public void processElement(StreamRecord<EnrichedEvent> record) throws Exception {
        EnrichedEvent event = record.getValue();
        arrived.record(event.event(), live);
        long at = record.hasTimestamp() ? record.getTimestamp() : System.currentTimeMillis();
        String key = keyOf(event);
        Batch full = batches.add(key, at, event);
        scheduleEnd(); // also when the batch is full: what it leaves in state may be lent
        if (full == null) {
            return;
        }
        setCurrentKey(key);
        out.setTimestamp(record);
        correlate(full);
        batches.recycle(full);
    }

    /**
     * Ends the hand-over once the task has handed over the records in hand (one mail at a time):
     * its partial batches are correlated, and what the state took of its lent events is copied.
     */
    private void scheduleEnd() {
        if (!endScheduled) {
            endScheduled = true;
            mailbox.execute(this::endPartialBatches, "end the correlator's partial batches");
        }
    }

    private void endPartialBatches() throws Exception {
        endScheduled = false;
        out.eraseTimestamp();
        batches.endAll((key, batch) -> {
            setCurrentKey(key);
            correlate(batch);
        });
        processes.keepLent();
        episodes.keepLent();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        endPartialBatches(); // a checkpoint holds no waiting event
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        endPartialBatches();
        super.finish();
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        long timestamp = timer.getTimestamp();
        out.setAbsoluteTimestamp(timestamp);
        // The watermark passed: what waits in the key's batch is older, and goes first.
        Batch waiting = batches.take(timer.getKey());
        if (waiting != null) {
            correlate(waiting);
            batches.recycle(waiting);
        }
        List<Failure> alone = processes.expire(timestamp);
        if (!alone.isEmpty()) {
            episodes.observe(alone, timers, reports);
        }
        episodes.end(timestamp, timers, reports);
        if (EventTimers.sweeps(timestamp)) {
            processes.sweep(timestamp, timers);
            episodes.sweep(timestamp, timers);
        }
    }

    /**
     * Processing-time timers come only from checkpoints of versions that ended partial batches
     * with them; this version's batches end by mail, and a restored one's waiting events are
     * correlated with the first hand-over.
     */
    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

    /** Each event, then the failures it completes, through the patterns, in the batch's order. */
    private void correlate(Batch events) throws Exception {
        long watched = episodes.begin(events.epochMillis(0), events.epochMillis(events.size() - 1), timers);
        for (int i = 0; i < events.size(); i++) {
            EnrichedEvent e = events.event(i);
            long at = events.epochMillis(i);
            batched.record(e.event(), live);
            episodes.observe(seen.moveTo(at, e.workload(), e.event()), watched, timers, reports);
            processes.observe(at, e.event(), e.workload(), timers, failed);
            for (int f = 0; f < failures.size(); f++) {
                episodes.observe(failures.get(f), watched, timers, reports);
            }
            failures.clear();
        }
        for (int i = 0; i < events.size(); i++) {
            end.record(events.event(i).event(), live);
        }
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
    public void close() throws Exception {
        if (metrics != null) {
            metrics.close();
        }
        super.close();
    }
}
