package io.tapio.rollup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Rollup;
import io.tapio.model.WorkloadKeyedOperator;
import io.tapio.model.types.JavaSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * One-minute rollups per workload, on event time: what a workload's events in each minute add
 * up to, emitted once the watermark passes the minute's end.
 *
 * <p>Not Flink's tumbling window: its operator assigned every event a window object and asked
 * for the window's timer twice per event (the trigger's and the cleanup's), where a minute
 * needs one timer, asked for by its first event. An event later than the watermark allows
 * (its minute already emitted) is counted, {@code tapio_rollup_late_events_total}, and is in no
 * rollup; the correlator saw it all the same.
 *
 * <p>A minute's sum is taken from keyed state at its key's first event after the watermark
 * last moved, added to in hand, and put back when the watermark next moves (before the timers it
 * fires read it), before a checkpoint, or when the key's events reach its next minute. So the key
 * is set and state read and written once a key per watermark (a second), not for each event as
 * Flink does for a keyed function: the sum can wait in hand because nothing reads it before the
 * watermark. (Putting the sums back at the end of each hand-over instead was slower than keyed
 * state: a hand-over holds events of many workloads, a few each.)
 */
public final class Rollups extends WorkloadKeyedOperator<Rollup> {
    public static final Duration MINUTE = Duration.ofMinutes(1);
    private static final long MINUTE_MILLIS = MINUTE.toMillis();

    private transient MapState<Long, RollupAccumulator> minutes;
    private transient TimestampedCollector<Rollup> out;
    private transient Counter late;
    /** Per key, the minute its events add to until the sums go back into state. */
    private transient Map<String, MinuteInHand> inHand;

    public static SingleOutputStreamOperator<Rollup> of(KeyedStream<EnrichedEvent, String> byWorkload) {
        return byWorkload
                .transform("rollups", JavaSerializer.typeOf(Rollup.class), new Rollups())
                .uid("rollups");
    }

    @Override
    public void open() throws Exception {
        super.open();
        minutes = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "minutes", Types.LONG, JavaSerializer.typeOf(RollupAccumulator.class)));
        out = new TimestampedCollector<>(output);
        late = Counter.builder(MetricNames.ROLLUP_LATE_EVENTS)
                .description("Events later than the watermark allowed, after their minute's rollup was emitted")
                .register(Metrics.globalRegistry);
        inHand = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<EnrichedEvent> record) throws Exception {
        long at = record.getTimestamp();
        long start = at - Math.floorMod(at, MINUTE_MILLIS);
        if (start + MINUTE_MILLIS - 1 <= timers().currentWatermark()) {
            late.increment();
            return;
        }
        EnrichedEvent event = record.getValue();
        String key = keyOf(event);
        MinuteInHand minute = inHand.get(key);
        if (minute == null || minute.start() != start) {
            if (minute != null) {
                putBack(key, minute);
            }
            minute = take(key, start);
            inHand.put(key, minute);
        }
        minute.sum().add(event);
    }

    /** The key's sum of the minute from state, or a new one and the timer that emits it. */
    private MinuteInHand take(String key, long start) throws Exception {
        setCurrentKey(key);
        RollupAccumulator sum = minutes.get(start);
        if (sum == null) {
            sum = new RollupAccumulator();
            timers().registerEventTimeTimer(VoidNamespace.INSTANCE, start + MINUTE_MILLIS - 1);
        }
        return new MinuteInHand(start, sum);
    }

    private void putBack(String key, MinuteInHand minute) throws Exception {
        setCurrentKey(key);
        minutes.put(minute.start(), minute.sum());
    }

    private void putAllBack() throws Exception {
        for (Map.Entry<String, MinuteInHand> entry : inHand.entrySet()) {
            putBack(entry.getKey(), entry.getValue());
        }
        inHand.clear();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        putAllBack();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        putAllBack(); // a checkpoint holds every sum
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        putAllBack();
        super.finish();
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        long start = timer.getTimestamp() + 1 - MINUTE_MILLIS;
        RollupAccumulator sum = minutes.get(start);
        if (sum != null) {
            out.setAbsoluteTimestamp(timer.getTimestamp());
            out.collect(sum.toRollup(timer.getKey(), start));
            minutes.remove(start);
        }
        if (minutes.isEmpty()) {
            minutes.clear(); // an empty map is still an entry of the key's state
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

    /** A key's minute and its sum, taken from state and added to in hand. */
    private record MinuteInHand(long start, RollupAccumulator sum) {}
}
