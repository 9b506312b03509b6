package io.tapio.correlate;

import static io.tapio.correlate.CorrelatorHarness.event;
import static io.tapio.correlate.CorrelatorHarness.harness;
import static io.tapio.correlate.CorrelatorHarness.key;
import static io.tapio.correlate.CorrelatorHarness.keysWith;
import static io.tapio.correlate.CorrelatorHarness.runMails;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.types.JavaSerializer;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Since when the correlator has watched a workload, on event time in Flink's operator harness: a
 * busy workload keeps the start of its watch, one quiet for an hour starts again, a departed
 * one's watch is swept, and the watch of a checkpoint made when Flink's time-to-live kept it is
 * taken over after a restore.
 */
class WorkloadWatchTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_764_000_000_000L;

    @Test
    void aBusyWorkloadKeepsItsWatchAndOneQuietForAnHourStartsAgain() throws Exception {
        try (var harness = harness(new Correlator(CorrelationConfig.defaults(), false))) {
            harness.open();
            for (long minute = 0; minute <= 90; minute += 10) {
                observe(harness, 1, T0 + minute * MINUTE);
            }
            assertThat(watch(harness, 1))
                    .as("busy for 90 minutes")
                    .isEqualTo(new WorkloadWatch.Span(T0, T0 + 90 * MINUTE));

            long back = T0 + (90 + 61) * MINUTE;
            observe(harness, 1, back);
            assertThat(watch(harness, 1).since())
                    .as("back after 61 quiet minutes")
                    .isEqualTo(back);
        }
    }

    @Test
    void aDepartedWorkloadsWatchIsSweptAnHourAfterItsLastEvent() throws Exception {
        try (var harness = harness(new Correlator(CorrelationConfig.defaults(), false))) {
            harness.open();
            observe(harness, 1, T0);
            for (long minute = 1; minute <= 59; minute++) {
                observe(harness, 2, T0 + minute * MINUTE);
            }
            assertThat(keysWithWatch(harness))
                    .as("59 minutes after workload 1's last event")
                    .hasSize(2);
            for (long minute = 60; minute <= 65; minute++) {
                observe(harness, 2, T0 + minute * MINUTE);
            }
            assertThat(keysWithWatch(harness))
                    .as("65 minutes after workload 1's last event")
                    .containsExactly(key(2));
            harness.processWatermark(T0 + (65 + 62) * MINUTE);
            assertThat(keysWithWatch(harness)).as("both gone quiet").isEmpty();
        }
    }

    @Test
    void theWatchOfACheckpointWhoseTimeToLiveKeptItIsTakenOver() throws Exception {
        OperatorSubtaskState earlier;
        try (var harness = harness(new KeyedProcessOperator<>(new WatchedOnTimeToLive()))) {
            harness.open();
            harness.processElement(failedOpen(1, T0), T0);
            earlier = harness.snapshot(1, T0);
        }
        try (var restored = harness(new Correlator(CorrelationConfig.defaults(), false))) {
            restored.initializeState(earlier);
            restored.open();
            observe(restored, 1, T0 + 5 * MINUTE);
            assertThat(watch(restored, 1).since())
                    .as("watched since the earlier run's first event")
                    .isEqualTo(T0);
            assertThat(keysWith(restored, "watched-since")).as("taken over").isEmpty();
        }
    }

    /** What versions before the watch left Flink's time-to-live kept: the first event's time in "watched-since". */
    private static final class WatchedOnTimeToLive extends KeyedProcessFunction<String, EnrichedEvent, Finding> {
        private transient ValueState<Long> watchedSince;

        @Override
        public void open(OpenContext context) {
            ValueStateDescriptor<Long> watched = new ValueStateDescriptor<>("watched-since", Types.LONG);
            watched.enableTimeToLive(StateTtlConfig.newBuilder(WorkloadWatch.MEMORY)
                    .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
            watchedSince = getRuntimeContext().getState(watched);
        }

        @Override
        public void processElement(EnrichedEvent event, Context ctx, Collector<Finding> out) throws Exception {
            if (watchedSince.value() == null) {
                watchedSince.update(ctx.timestamp());
            }
        }
    }

    /** One failed open of the workload at {@code at}, correlated, and the watermark at it. */
    private static void observe(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness, long cgroup, long at)
            throws Exception {
        harness.processElement(failedOpen(cgroup, at), at);
        runMails(harness);
        harness.processWatermark(at);
    }

    private static WorkloadWatch.Span watch(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness, long cgroup)
            throws Exception {
        var backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(key(cgroup));
        return backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>("watch", JavaSerializer.typeOfImmutable(WorkloadWatch.Span.class)))
                .value();
    }

    private static List<String> keysWithWatch(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness) {
        return keysWith(harness, "watch");
    }

    private static EnrichedEvent failedOpen(long cgroup, long epochMillis) {
        return event(cgroup, epochMillis, new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app/optional.yaml"));
    }
}
