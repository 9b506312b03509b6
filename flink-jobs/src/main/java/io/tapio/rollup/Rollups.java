package io.tapio.rollup;

import io.tapio.model.EnrichedEvent;
import io.tapio.model.Rollup;
import io.tapio.model.types.JavaSerializer;
import java.time.Duration;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One-minute rollups per workload, on event time. An event later than the watermark allows
 * is not silently lost: it goes to {@link #LATE} for counting.
 */
public final class Rollups {
    public static final Duration MINUTE = Duration.ofMinutes(1);
    public static final OutputTag<EnrichedEvent> LATE =
            new OutputTag<>("late-for-rollup", io.tapio.model.types.EnrichedEventSerializer.TYPE);

    private Rollups() {}

    public static org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator<Rollup> of(
            KeyedStream<EnrichedEvent, String> byWorkload) {
        return byWorkload
                .window(TumblingEventTimeWindows.of(MINUTE))
                .sideOutputLateData(LATE)
                .aggregate(
                        new Aggregate(),
                        new Emit(),
                        JavaSerializer.typeOf(RollupAccumulator.class),
                        JavaSerializer.typeOf(RollupAccumulator.class),
                        JavaSerializer.typeOf(Rollup.class))
                .name("rollups")
                .uid("rollups");
    }

    /** Adds the minute's events up. */
    static final class Aggregate implements AggregateFunction<EnrichedEvent, RollupAccumulator, RollupAccumulator> {
        @Override
        public RollupAccumulator createAccumulator() {
            return new RollupAccumulator();
        }

        @Override
        public RollupAccumulator add(EnrichedEvent event, RollupAccumulator accumulator) {
            accumulator.add(event);
            return accumulator;
        }

        @Override
        public RollupAccumulator getResult(RollupAccumulator accumulator) {
            return accumulator;
        }

        @Override
        public RollupAccumulator merge(RollupAccumulator a, RollupAccumulator b) {
            return a.merge(b);
        }
    }

    /** Names the minute and the workload. */
    static final class Emit extends ProcessWindowFunction<RollupAccumulator, Rollup, String, TimeWindow> {
        @Override
        public void process(String key, Context context, Iterable<RollupAccumulator> sums, Collector<Rollup> out) {
            for (RollupAccumulator sum : sums) {
                out.collect(sum.toRollup(key, context.window().getStart()));
            }
        }
    }
}
