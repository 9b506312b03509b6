package io.tapio.rollup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Rollup;
import io.tapio.model.types.JavaSerializer;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One-minute rollups per workload, on event time: what a workload's events in each minute add
 * up to, emitted once the watermark passes the minute's end.
 *
 * <p>Not Flink's tumbling window: its operator assigned every event a window object and asked
 * for the window's timer twice per event (the trigger's and the cleanup's), where a minute
 * needs one timer, asked for by its first event. An event later than the watermark allows
 * (its minute already emitted) is counted, {@code tapio_rollup_late_events_total}, and is in no
 * rollup; the correlator saw it all the same.
 */
public final class Rollups extends KeyedProcessFunction<String, EnrichedEvent, Rollup> {
    public static final Duration MINUTE = Duration.ofMinutes(1);
    private static final long MINUTE_MILLIS = MINUTE.toMillis();

    private transient MapState<Long, RollupAccumulator> minutes;
    private transient Counter late;
    /** The state's key of the minute the last event was in, boxed once for all its events. */
    private transient Long minuteKey;

    public Rollups() {}

    public static SingleOutputStreamOperator<Rollup> of(KeyedStream<EnrichedEvent, String> byWorkload) {
        return byWorkload
                .process(new Rollups(), JavaSerializer.typeOf(Rollup.class))
                .name("rollups")
                .uid("rollups");
    }

    @Override
    public void open(OpenContext context) {
        minutes = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "minutes", Types.LONG, JavaSerializer.typeOf(RollupAccumulator.class)));
        late = Counter.builder(MetricNames.ROLLUP_LATE_EVENTS)
                .description("Events later than the watermark allowed, after their minute's rollup was emitted")
                .register(Metrics.globalRegistry);
    }

    @Override
    public void processElement(EnrichedEvent event, Context ctx, Collector<Rollup> out) throws Exception {
        long at = ctx.timestamp();
        long start = at - Math.floorMod(at, MINUTE_MILLIS);
        long last = start + MINUTE_MILLIS - 1;
        if (last <= ctx.timerService().currentWatermark()) {
            late.increment();
            return;
        }
        Long minute = minuteKey;
        if (minute == null || minute != start) {
            minuteKey = minute = start;
        }
        RollupAccumulator sum = minutes.get(minute);
        if (sum == null) {
            sum = new RollupAccumulator();
            ctx.timerService().registerEventTimeTimer(last);
        }
        sum.add(event);
        minutes.put(minute, sum);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Rollup> out) throws Exception {
        long start = timestamp + 1 - MINUTE_MILLIS;
        RollupAccumulator sum = minutes.get(start);
        if (sum != null) {
            out.collect(sum.toRollup(ctx.getCurrentKey(), start));
            minutes.remove(start);
        }
        if (minutes.isEmpty()) {
            minutes.clear(); // an empty map is still an entry of the key's state
        }
    }
}
