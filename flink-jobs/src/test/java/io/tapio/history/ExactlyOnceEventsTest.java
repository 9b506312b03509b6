package io.tapio.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.event.KernelEvent;
import io.tapio.ebpf.source.KernelEventTypeInfo;
import io.tapio.ebpf.source.synthetic.SyntheticSource;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import io.tapio.schemas.HistoryTables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job's event history survives a task failure: a task throws mid-stream after a
 * checkpoint has committed, the job restarts from that checkpoint and replays the synthetic
 * source from its position there, and the table holds every relevant event exactly once.
 */
class ExactlyOnceEventsTest {
    private static final long EVENTS = 30_000;
    /** The synthetic source's virtual clock starts here (SyntheticSource.VIRTUAL_START_NS). */
    private static final long VIRTUAL_START_NS = 1_000_000_000L;
    private static final SyntheticConfig CONFIG = SyntheticConfig.builder().seed(7).workloads(20).build();
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dataDir;

    @Test
    @Timeout(180)
    void aTaskThatFailsMidStreamLeavesEveryRelevantEventInTheTableOnce() throws Exception {
        HistoryConfig config = HistoryConfig.hadoop(dataDir);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.getConfig().enableObjectReuse();

        var events = env.fromSource(SyntheticSource.asFastAsPossible(CONFIG, EVENTS), WatermarkStrategy.noWatermarks(),
                        "synthetic")
                .map(new FailOnceAfterACheckpoint(EVENTS / 3), KernelEventTypeInfo.INSTANCE).disableChaining()
                .map(e -> new EnrichedEvent(e, Workload.host("node-a", e.cgroupId(), "")));
        HistorySinks.events(events, config);
        env.execute("exactly-once events");

        assertTrue(FAILED.get(), "the task failed once mid-stream");
        Table table = config.catalogLoader().loadCatalog().loadTable(HistoryTables.identifier("events"));
        assertTrue(countSnapshots(table) > 1, "the job committed on several checkpoints, before and after the failure");
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
            read.forEach(r -> rows.add(identity((Long) r.getField("kernel_ts_ns"), (Integer) r.getField("pid"),
                    (Integer) r.getField("tid"), (String) r.getField("type"))));
        }
        Set<String> expected = expectedRelevantEvents();
        assertEquals(expected.size(), rows.size(), "as many rows as relevant events: none lost, none twice");
        assertEquals(expected, new HashSet<>(rows), "the very events the source produced");
    }

    private static Set<String> expectedRelevantEvents() {
        SyntheticEventGenerator generator = new SyntheticEventGenerator(CONFIG, VIRTUAL_START_NS);
        Set<String> expected = new HashSet<>();
        long produced = 0;
        while (produced < EVENTS) {
            for (KernelEvent e : generator.next(generator.nextTimestampNs() + 1_000_000)) {
                if (produced++ < EVENTS && EventRows.relevant(e)) {
                    expected.add(identity(e.timestampNs(), e.pid(), e.tid(), e.type().label()));
                }
            }
        }
        return expected;
    }

    private static String identity(long ts, int pid, int tid, String type) {
        return ts + "/" + pid + "/" + tid + "/" + type;
    }

    private static long countSnapshots(Table table) {
        long n = 0;
        for (var ignored : table.snapshots()) {
            n++;
        }
        return n;
    }

    /**
     * Passes events on, slowly enough for checkpoints to complete while the source runs, and
     * throws once: at the first event after {@code afterEvents} once a checkpoint completed.
     */
    private static final class FailOnceAfterACheckpoint implements MapFunction<KernelEvent, KernelEvent>,
            CheckpointListener {
        private final long afterEvents;
        private long seen;
        private volatile boolean checkpointed;

        FailOnceAfterACheckpoint(long afterEvents) {
            this.afterEvents = afterEvents;
        }

        @Override
        public KernelEvent map(KernelEvent event) throws Exception {
            if (++seen % 25 == 0) {
                Thread.sleep(1);
            }
            if (seen >= afterEvents && checkpointed && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + seen + " events");
            }
            return event;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
