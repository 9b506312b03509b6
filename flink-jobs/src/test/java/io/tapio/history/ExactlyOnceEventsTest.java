package io.tapio.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.source.synthetic.SyntheticSource;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import io.tapio.ebpf.types.KernelEventSerializer;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import io.tapio.schemas.HistoryTables;
import io.tapio.testing.FailOnceAfterACheckpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
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
    private static final String INJECTION = "history-exactly-once";
    private static final long EVENTS = 30_000;
    /** The synthetic source's virtual clock starts here (SyntheticSource.VIRTUAL_START_NS). */
    private static final long VIRTUAL_START_NS = 1_000_000_000L;

    private static final SyntheticConfig CONFIG =
            SyntheticConfig.builder().seed(7).workloads(20).build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path dataDir;

    @Test
    @Timeout(180)
    void aTaskThatFailsMidStreamLeavesEveryRelevantEventInTheTableOnce() throws Exception {
        HistoryConfig config = HistoryConfig.hadoop(dataDir);
        job(config, new FailOnceAfterACheckpoint<KernelEvent>(INJECTION, EVENTS / 3, 25))
                .getJobExecutionResult()
                .get();

        assertTrue(FailOnceAfterACheckpoint.failed(INJECTION), "the task failed once mid-stream");
        Table table = config.catalogLoader().loadCatalog().loadTable(HistoryTables.identifier("events"));
        assertTrue(countSnapshots(table) > 1, "the job committed on several checkpoints, before and after the failure");
        assertEveryRelevantEventOnce(table);
    }

    @Test
    @Timeout(180)
    void maintenanceBesideTheWriterLosesNothingAndRepeatsNothing() throws Exception {
        HistoryConfig config = HistoryConfig.hadoop(dataDir);
        JobClient job = job(config, new FailOnceAfterACheckpoint<KernelEvent>(INJECTION, Long.MAX_VALUE, 4));
        Table table = null;
        int rounds = 0;
        int rewritten = 0;
        while (!job.getJobStatus().get().isTerminalState()) {
            var catalog = config.catalogLoader().loadCatalog();
            if (catalog.tableExists(HistoryTables.identifier("events"))) {
                table = catalog.loadTable(HistoryTables.identifier("events"));
                // as aggressive as it gets: compact everything, keep only the current snapshot
                rewritten += TableMaintenance.run(
                                table, new TableMaintenance.Options(Duration.ZERO, 1, Duration.ofDays(1)))
                        .filesRewritten();
                rounds++;
            }
        }
        job.getJobExecutionResult().get();
        assertTrue(
                rounds >= 2 && rewritten > 0,
                rounds + " rounds of maintenance rewrote " + rewritten + " files while the job wrote");
        table.refresh();
        assertEveryRelevantEventOnce(table);
    }

    /** The synthetic events through {@code map} and the enrichment to the events table, checkpointing every 200 ms. */
    private static JobClient job(HistoryConfig config, MapFunction<KernelEvent, KernelEvent> map) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.getConfig().enableObjectReuse();
        var events = env.fromSource(
                        SyntheticSource.asFastAsPossible(CONFIG, EVENTS), WatermarkStrategy.noWatermarks(), "synthetic")
                .map(map, KernelEventSerializer.TYPE)
                .disableChaining()
                .map(e -> new EnrichedEvent(e, Workload.host(new Workload.Cgroup("node-a", e.cgroupId(), ""))));
        HistorySinks.events(events, config);
        return env.executeAsync("events to the history");
    }

    private static void assertEveryRelevantEventOnce(Table table) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
            read.forEach(r -> rows.add(identity(
                    (Long) r.getField("kernel_ts_ns"),
                    (Integer) r.getField("pid"),
                    (Integer) r.getField("tid"),
                    (String) r.getField("type"))));
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
                    expected.add(
                            identity(e.timestampNs(), e.pid(), e.tid(), e.type().label()));
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
}
