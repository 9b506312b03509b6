package io.tapio.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Rollup;
import io.tapio.model.Workload;
import io.tapio.model.types.JavaSerializer;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Minute rollups in Flink's own operator harness: a minute is emitted once the watermark passes
 * its end, with every event of that minute and no other; an event for a minute already emitted
 * is counted as late, and the key keeps no state or timer once its minutes are out. The sums
 * a key adds to between watermarks are in every checkpoint, and a key's events may go back and
 * forth between two minutes.
 */
class RollupsTest {
    private static final long T0 = 1_764_000_000_000L; // a whole minute
    private static final Workload WORKLOAD = Workload.host(new Workload.Cgroup("node-1", 7, "/app"));
    private static final Workload OTHER = Workload.host(new Workload.Cgroup("node-1", 8, "/other"));

    @Test
    void aMinuteIsEmittedAtTheWatermarkAndAnEventLaterThanThatIsCountedAsLate() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try (var harness = harness()) {
            harness.open();
            harness.processElement(failedOpen(T0 + 1_000), T0 + 1_000);
            harness.processElement(failedOpen(T0 + 59_999), T0 + 59_999);
            harness.processElement(failedOpen(T0 + 60_000), T0 + 60_000);
            harness.processWatermark(T0 + 59_998);
            assertThat(rollups(harness)).as("the minute is not over").isEmpty();

            harness.processWatermark(T0 + 59_999);
            List<Rollup> first = rollups(harness);
            assertThat(first).hasSize(1);
            assertThat(first.getFirst().minuteEpochMillis()).isEqualTo(T0);
            assertThat(first.getFirst().events()).containsEntry("open_failed", 2L);

            harness.processElement(failedOpen(T0 + 30_000), T0 + 30_000);
            assertThat(registry.get(MetricNames.ROLLUP_LATE_EVENTS).counter().count())
                    .isEqualTo(1);

            harness.processWatermark(T0 + 2 * 60_000);
            List<Rollup> all = rollups(harness);
            assertThat(all).hasSize(2);
            assertThat(all.get(1).minuteEpochMillis()).isEqualTo(T0 + 60_000);
            assertThat(all.get(1).events()).containsEntry("open_failed", 1L);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        } finally {
            Metrics.removeRegistry(registry);
        }
    }

    /** Sums added to since the watermark last moved are in a checkpoint, and count once after a restore. */
    @Test
    void aCheckpointHoldsTheSumsAddedToSinceTheWatermark() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var harness = harness()) {
            harness.open();
            harness.processElement(failedOpen(WORKLOAD, T0 + 1_000), T0 + 1_000);
            harness.processWatermark(T0 + 1_000);
            harness.processElement(failedOpen(WORKLOAD, T0 + 2_000), T0 + 2_000);
            harness.processElement(failedOpen(OTHER, T0 + 3_000), T0 + 3_000);
            harness.prepareSnapshotPreBarrier(1); // as the task does before each checkpoint
            checkpoint = harness.snapshot(1, T0 + 3_000);
            harness.processElement(failedOpen(WORKLOAD, T0 + 4_000), T0 + 4_000); // lost with the run
        }
        try (var restored = harness()) {
            restored.initializeState(checkpoint);
            restored.open();
            restored.processElement(failedOpen(OTHER, T0 + 5_000), T0 + 5_000);
            restored.processWatermark(T0 + 60_000);
            assertThat(rollups(restored))
                    .extracting(r -> r.workload().cgroup().id(), r -> r.events().get("open_failed"))
                    .containsExactlyInAnyOrder(tuple(7L, 2L), tuple(8L, 2L));
        }
    }

    /** A key's events that go on into the next minute and back before the watermark moves: each minute its own. */
    @Test
    void aKeysEventsGoingBackAndForthBetweenTwoMinutesAddToEach() throws Exception {
        try (var harness = harness()) {
            harness.open();
            for (long at : new long[] {59_000, 60_500, 59_500, 61_000, 59_900}) {
                harness.processElement(failedOpen(WORKLOAD, T0 + at), T0 + at);
            }
            harness.processWatermark(T0 + 2 * 60_000);
            assertThat(rollups(harness))
                    .extracting(Rollup::minuteEpochMillis, r -> r.events().get("open_failed"))
                    .containsExactly(tuple(T0, 3L), tuple(T0 + 60_000, 2L));
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    /** A checkpoint of the keyed function that ran the rollups before: its sums and timers go on. */
    @Test
    void aCheckpointOfTheEarlierKeyedFunctionRestoresWithItsSumsAndTimers() throws Exception {
        OperatorSubtaskState earlier;
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new EarlierRollups()),
                (EnrichedEvent e) -> e.workload().key(),
                Types.STRING)) {
            harness.open();
            harness.processElement(failedOpen(WORKLOAD, T0 + 1_000), T0 + 1_000);
            harness.processElement(failedOpen(WORKLOAD, T0 + 2_000), T0 + 2_000);
            earlier = harness.snapshot(1, T0 + 2_000);
        }
        try (var restored = harness()) {
            restored.initializeState(earlier);
            restored.open();
            restored.processElement(failedOpen(WORKLOAD, T0 + 3_000), T0 + 3_000);
            restored.processWatermark(T0 + 60_000);
            assertThat(rollups(restored))
                    .extracting(Rollup::minuteEpochMillis, r -> r.events().get("open_failed"))
                    .containsExactly(tuple(T0, 3L));
            assertThat(restored.numEventTimeTimers()).isZero();
        }
    }

    /** What versions before the rollups' own operator kept: each minute's sum in "minutes", one timer at its end. */
    private static final class EarlierRollups extends KeyedProcessFunction<String, EnrichedEvent, Rollup> {
        private transient MapState<Long, RollupAccumulator> minutes;

        @Override
        public void open(OpenContext context) {
            minutes = getRuntimeContext()
                    .getMapState(new MapStateDescriptor<>(
                            "minutes", Types.LONG, JavaSerializer.typeOf(RollupAccumulator.class)));
        }

        @Override
        public void processElement(EnrichedEvent event, Context ctx, Collector<Rollup> out) throws Exception {
            long start = ctx.timestamp() - Math.floorMod(ctx.timestamp(), 60_000L);
            RollupAccumulator sum = minutes.get(start);
            if (sum == null) {
                sum = new RollupAccumulator();
                ctx.timerService().registerEventTimeTimer(start + 59_999);
            }
            sum.add(event);
            minutes.put(start, sum);
        }
    }

    /** A checkpoint's copy of a minute's sum: the same sum, unchanged by the events after it. */
    @Test
    void aCopyOfAMinutesSumIsTheSameSumAndSharesNothingThatChangesAfterwards() throws Exception {
        RollupAccumulator sum = new RollupAccumulator();
        sum.add(failedOpen(T0 + 1_000));
        sum.add(failedOpen(T0 + 2_000));
        RollupAccumulator copy = sum.copy();
        assertThat(serialized(copy)).isEqualTo(serialized(sum));

        sum.add(failedOpen(T0 + 3_000));
        assertThat(copy.toRollup("key", T0).events()).containsEntry("open_failed", 2L);
        assertThat(sum.toRollup("key", T0).events()).containsEntry("open_failed", 3L);
    }

    private static byte[] serialized(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static List<Rollup> rollups(KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Rollup> harness) {
        return harness.extractOutputValues();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Rollup> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new Rollups(), e -> e.workload().key(), Types.STRING);
    }

    private static EnrichedEvent failedOpen(long epochMillis) {
        return failedOpen(WORKLOAD, epochMillis);
    }

    private static EnrichedEvent failedOpen(Workload workload, long epochMillis) {
        KernelEvent event = KernelEvent.of(
                new EventSubject(epochMillis * 1_000_000, 0, 42, 42, 7, "app"),
                new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app/missing.yaml"));
        return new EnrichedEvent(event, workload);
    }
}
