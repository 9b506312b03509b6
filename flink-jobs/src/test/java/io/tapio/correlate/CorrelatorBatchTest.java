package io.tapio.correlate;

import static io.tapio.correlate.CorrelatorHarness.event;
import static io.tapio.correlate.CorrelatorHarness.harness;
import static io.tapio.correlate.CorrelatorHarness.key;
import static io.tapio.correlate.CorrelatorHarness.keysWith;
import static io.tapio.correlate.CorrelatorHarness.runMails;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.ebpf.abi.OomKill;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.io.RecordProcessorUtils;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.ThrowingConsumer;
import org.junit.jupiter.api.Test;

/**
 * When the correlator's batches end, in Flink's operator harness, whose mailbox stands for the
 * task's: a full batch at once; a partial one with the mail that runs after the task's hand-over,
 * not before; every partial one before a checkpoint, which then holds none; and the waiting
 * events of a checkpoint from a version that kept them in keyed state, after a restore.
 */
class CorrelatorBatchTest {
    private static final long T0 = 1_764_000_000_000L;
    /** Batches of four, always: three events wait, the fourth fills the batch. */
    private static final CorrelationConfig BATCHES_OF_FOUR = new CorrelationConfig(
            CorrelationConfig.defaults().patterns(), new AdaptiveBatchSize.Settings(4, 4, Duration.ofSeconds(1), 0.5));

    @Test
    void aPartialBatchIsCorrelatedByTheMailThatRunsAfterTheHandOver() throws Exception {
        try (var harness = harness(new Correlator(BATCHES_OF_FOUR, false))) {
            harness.open();
            harness.processElement(oomKill(1, T0), T0);
            assertThat(findings(harness)).as("waiting in its batch").isEmpty();

            assertThat(runMails(harness)).as("one mail for the partial batches").isEqualTo(1);
            assertThat(findings(harness)).extracting(Finding::pattern).containsExactly("oom_kill");
        }
    }

    @Test
    void aFullBatchIsCorrelatedAtOnceAndOnlyOnce() throws Exception {
        try (var harness = harness(new Correlator(BATCHES_OF_FOUR, false))) {
            harness.open();
            for (int i = 0; i < 3; i++) {
                harness.processElement(failedOpen(1, T0 + i), T0 + i);
            }
            harness.processElement(oomKill(1, T0 + 3), T0 + 3);
            assertThat(findings(harness)).extracting(Finding::pattern).containsExactly("oom_kill");

            runMails(harness);
            assertThat(findings(harness)).as("the batch left when it filled").hasSize(1);
        }
    }

    @Test
    void aCheckpointCorrelatesThePartialBatchesFirstAndHoldsNone() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var harness = harness(new Correlator(BATCHES_OF_FOUR, false))) {
            harness.open();
            harness.processElement(oomKill(1, T0), T0);
            harness.processElement(oomKill(2, T0), T0);
            harness.prepareSnapshotPreBarrier(1);
            assertThat(findings(harness)).extracting(Finding::pattern).containsExactly("oom_kill", "oom_kill");
            checkpoint = harness.snapshot(1, T0);
        }
        try (var restored = harness(new Correlator(BATCHES_OF_FOUR, false))) {
            restored.initializeState(checkpoint);
            restored.open();
            assertThat(runMails(restored))
                    .as("nothing waited in the checkpoint")
                    .isZero();
            assertThat(findings(restored)).isEmpty();
        }
    }

    /**
     * The task hands records to the correlator as Flink's record processor does, which sets no key
     * per event for it (the harness's own processElement always sets one): each full batch still
     * reads and writes its own workload's state.
     */
    @Test
    void interleavedWorkloadsBatchUnderTheirOwnKeysWithoutAKeyPerEvent() throws Exception {
        try (var harness = harness(new Correlator(BATCHES_OF_FOUR, false))) {
            harness.open();
            ThrowingConsumer<StreamRecord<EnrichedEvent>, Exception> task =
                    RecordProcessorUtils.getRecordProcessor(harness.getOneInputOperator());
            for (int i = 0; i < 3; i++) {
                task.accept(new StreamRecord<>(failedOpen(1, T0 + i), T0 + i));
                if (i < 2) {
                    task.accept(new StreamRecord<>(failedOpen(2, T0 + i), T0 + i));
                }
            }
            task.accept(new StreamRecord<>(oomKill(1, T0 + 3), T0 + 3));
            assertThat(findings(harness)).extracting(f -> f.workload().key()).containsExactly(key(1));
            assertThat(keysWith(harness, "processes")).containsExactly(key(1));
            assertThat(harness.getOperator().getCurrentKey())
                    .as("set for the batch that filled")
                    .isEqualTo(key(1));

            task.accept(new StreamRecord<>(failedOpen(2, T0 + 3), T0 + 3));
            assertThat(harness.getOperator().getCurrentKey())
                    .as("not set for an event that only waits")
                    .isEqualTo(key(1));

            assertThat(runMails(harness)).isEqualTo(1);
            assertThat(keysWith(harness, "processes")).containsExactlyInAnyOrder(key(1), key(2));
        }
    }

    @Test
    void theWaitingEventsOfAnEarlierVersionsCheckpointAreCorrelatedAfterARestore() throws Exception {
        OperatorSubtaskState earlier;
        try (var harness = harness(new KeyedProcessOperator<>(new WaitingInKeyedState()))) {
            harness.open();
            harness.processElement(failedOpen(1, T0), T0);
            harness.processElement(oomKill(1, T0 + 1), T0 + 1);
            earlier = harness.snapshot(1, T0);
        }
        try (var restored = harness(new Correlator(BATCHES_OF_FOUR, false))) {
            restored.initializeState(earlier);
            restored.open();
            assertThat(runMails(restored)).isEqualTo(1);
            assertThat(findings(restored)).extracting(Finding::pattern).containsExactly("oom_kill");
        }
    }

    /** What versions before the batches left keyed state kept of a partial batch: each event in "waiting". */
    private static final class WaitingInKeyedState extends KeyedProcessFunction<String, EnrichedEvent, Finding> {
        private transient ListState<TimedEvent> waiting;

        @Override
        public void open(OpenContext context) {
            waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", TimedEvent.TYPE));
        }

        @Override
        public void processElement(EnrichedEvent event, Context ctx, Collector<Finding> out) throws Exception {
            waiting.add(new TimedEvent(ctx.timestamp(), event));
        }
    }

    private static List<Finding> findings(KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> h) {
        return h.extractOutputValues();
    }

    private static EnrichedEvent oomKill(long cgroup, long epochMillis) {
        return event(cgroup, epochMillis, new OomKill(7, 7, "loader", cgroup, 1 << 30, 1 << 30, 1 << 30));
    }

    private static EnrichedEvent failedOpen(long cgroup, long epochMillis) {
        return event(cgroup, epochMillis, new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app/optional.yaml"));
    }
}
