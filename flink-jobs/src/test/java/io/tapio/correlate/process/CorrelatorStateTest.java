package io.tapio.correlate.process;

import static io.tapio.correlate.CorrelatorHarness.event;
import static io.tapio.correlate.CorrelatorHarness.harness;
import static io.tapio.correlate.CorrelatorHarness.key;
import static io.tapio.correlate.CorrelatorHarness.keysWith;
import static io.tapio.correlate.CorrelatorHarness.runMails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.correlate.Correlator;
import io.tapio.correlate.patterns.CpuStarvationPattern;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.types.JavaSerializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The correlator's process records under workload churn, in Flink's own operator harness, on
 * event time alone (the harness's processing-time clock never moves): a process whose exit was
 * lost is forgotten ten minutes after its last event, a departed workload's records, episodes
 * and timers go, a workload that keeps going keeps what it needs, and an episode that has not
 * opened holds one timer however long it goes on, and so does an open one's settling count.
 * (Its watch: WorkloadWatchTest.)
 */
class CorrelatorStateTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_764_000_000_000L;

    @Test
    void aProcessWhoseExitWasLostIsForgottenTenMinutesAfterItsLastEvent() throws Exception {
        try (var harness = harness(new Correlator(CorrelationConfig.defaults(), false))) {
            harness.open();
            // A process meets a failed open, and its exit is lost; another process of the workload keeps going.
            harness.processElement(
                    event(1, 100, T0, new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app/missing.yaml")), T0);
            for (long minute = 1; minute <= 12; minute++) {
                long at = T0 + minute * MINUTE;
                harness.processElement(
                        event(1, 200, at, new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app/other.yaml")), at);
                harness.processWatermark(at);
                if (minute == 9) {
                    assertThat(pidsWithRecords(harness, 1)).as("9 minutes on").containsExactlyInAnyOrder(100, 200);
                }
            }
            assertThat(pidsWithRecords(harness, 1))
                    .as("pid 200's record was touched a minute ago, pid 100's twelve minutes ago")
                    .containsExactly(200);
        }
    }

    @Test
    void aDepartedWorkloadsRecordsEpisodesAndTimersGoWhileOneThatKeepsGoingKeepsItsOwn() throws Exception {
        try (var harness = harness(new Correlator(CorrelationConfig.defaults(), false))) {
            harness.open();
            harness.processElement(
                    event(1, 100, T0, new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app/missing.yaml")), T0);
            harness.processElement(
                    event(2, 300, T0, new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app/missing.yaml")), T0);
            // A helper of workload 1 fails, and its parent goes on: it waits for its parent, then is told alone.
            harness.processElement(
                    event(1, 150, T0 + 1000, new Exit(100, 1, 0, false, ExitOrigin.CHILD, 500_000_000L, 1 << 20)),
                    T0 + 1000);
            assertThat(keysWith(harness, "ended-children")).containsExactly(key(1));
            assertThat(keysWith(harness, "processes")).containsExactlyInAnyOrder(key(1), key(2));
            long end = T0 + 62 * MINUTE;
            for (long at = T0 + MINUTE; at <= end; at += MINUTE) {
                harness.processElement(
                        event(2, 300, at, new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app/missing.yaml")), at);
                harness.processWatermark(at);
            }
            harness.processWatermark(end + 2 * MINUTE);

            assertThat(keysWith(harness, "processes"))
                    .as("workload 1's lost exit")
                    .containsExactly(key(2));
            assertThat(keysWith(harness, "ended-children")).isEmpty();
            assertThat(keysWith(harness, "episodes")).doesNotContain(key(1));
            harness.processWatermark(end + 70 * MINUTE);
            assertThat(keysWith(harness, "processes")).as("both gone quiet").isEmpty();
            assertThat(keysWith(harness, "episodes")).isEmpty();
            assertThat(harness.numEventTimeTimers()).as("nothing left to sweep").isZero();
        }
    }

    @Test
    void anEpisodeThatHasNotOpenedHoldsOneTimerAndIsForgottenItsMemoryAfterItsLastOccurrence() throws Exception {
        long memory = CpuStarvationPattern.DEFAULT.memoryMillis();
        try (var harness = harness(new Correlator(CorrelationConfig.defaults(), false))) {
            harness.open();
            // Long waits for a CPU once a second: a workload watched for two minutes has no usual
            // level yet, so its starvation episode only remembers them.
            int timersAfterTenSeconds = 0;
            long last = T0 + 119_000;
            for (long at = T0; at <= last; at += 1000) {
                harness.processElement(event(1, at, new RunqLatency(50_000_000L)), at);
                runMails(harness);
                harness.processWatermark(at);
                if (at == T0 + 9_000) {
                    timersAfterTenSeconds = harness.numEventTimeTimers();
                }
            }
            assertThat(keysWith(harness, "episodes")).containsExactly(key(1));
            assertThat(harness.numEventTimeTimers())
                    .as("timers after 120 s of occurrences, against after 10 s")
                    .isEqualTo(timersAfterTenSeconds);

            harness.processWatermark(last + memory - 1000);
            assertThat(keysWith(harness, "episodes"))
                    .as(
                            "its first timer (%d s after its first occurrence) passed, its memory after the last not",
                            memory / 1000)
                    .containsExactly(key(1));
            harness.processWatermark(last + memory + 1000);
            assertThat(keysWith(harness, "episodes")).isEmpty();
        }
    }

    @Test
    void anOpenEpisodeWhoseCountMovesHoldsOneSettleTimerAndReportsItsTrueCountOnceSettled() throws Exception {
        try (var harness = harness(new Correlator(CorrelationConfig.defaults(), false))) {
            harness.open();
            // The workload's main process fails once a second: the crash loop opens at the third
            // failure and reports again at 6 and 12. From 13 on, its count moves without a
            // report (the next is due at 24), while the watermark holds still.
            int timersAtThirteen = 0;
            long last = T0 + 19_000;
            for (long at = T0; at <= last; at += 1000) {
                harness.processElement(event(1, at, new Exit(1, 1, 0, false, ExitOrigin.MAIN, 1_000_000, 0)), at);
                runMails(harness);
                if (at == T0 + 12_000) {
                    timersAtThirteen = harness.numEventTimeTimers();
                }
            }
            assertThat(harness.extractOutputValues())
                    .extracting(Finding::status, Finding::count)
                    .containsExactly(
                            tuple(Finding.Status.OPEN, 3L),
                            tuple(Finding.Status.UPDATE, 6L),
                            tuple(Finding.Status.UPDATE, 12L));
            assertThat(harness.numEventTimeTimers())
                    .as("timers after seven more unreported failures, against after the first")
                    .isEqualTo(timersAtThirteen);

            harness.processWatermark(last + 5_000);
            assertThat(harness.extractOutputValues())
                    .last()
                    .extracting(Finding::status, Finding::count)
                    .containsExactly(Finding.Status.UPDATE, 20L);
        }
    }

    private static List<Integer> pidsWithRecords(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness, long cgroup)
            throws Exception {
        var backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(key(cgroup));
        var processes = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new MapStateDescriptor<>("processes", Types.INT, JavaSerializer.typeOf(ProcessRecord.class)));
        List<Integer> pids = new ArrayList<>();
        processes.keys().forEach(pids::add);
        return pids;
    }
}
