package io.tapio.history;

import io.tapio.ebpf.source.synthetic.SyntheticSource;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Severity;
import io.tapio.model.Workload;
import io.tapio.rollup.NoisyRollups;
import io.tapio.schemas.FindingsTable;
import io.tapio.schemas.HistoryTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Table;

/**
 * The figures of the history, measured by hand (not a test):
 *
 * <pre>
 * java @launcher/jvm.options -cp CLASSPATH io.tapio.history.HistoryMeasurements stream DATA_DIR CHECKPOINT_SECONDS EVENTS
 * java @launcher/jvm.options -cp CLASSPATH io.tapio.history.HistoryMeasurements rollups DATA_DIR WORKLOADS DAYS
 * java @launcher/jvm.options -cp CLASSPATH io.tapio.history.HistoryMeasurements findings DATA_DIR WORKLOADS HOURS
 * </pre>
 *
 * {@code stream}: the streaming job's event history from the synthetic source as fast as it
 * goes, checkpointing at the interval: rows per second and bytes on disk per million events.
 * {@code rollups}: a history of every minute of {@code DAYS} days for {@code WORKLOADS}
 * workloads ({@link NoisyRollups#MODERATE} with a daily cycle), ending now, for timing
 * {@code tapio regress} and {@code tapio sql} over it.
 * {@code findings}: the findings of a busy node's last {@code HOURS} hours, a report every 5
 * minutes from each of {@code WORKLOADS} workloads, committed once an hour, for timing {@code
 * tapio sql} over them (with or without its SQL service).
 */
public final class HistoryMeasurements {
    private HistoryMeasurements() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[1]);
        HistoryConfig config = HistoryConfig.hadoop(dataDir);
        switch (args[0]) {
            case "stream" -> stream(config, dataDir, Integer.parseInt(args[2]), Long.parseLong(args[3]));
            case "rollups" -> rollups(config, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "findings" -> findings(config, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("stream, rollups or findings, not " + args[0]);
        }
    }

    private static void stream(HistoryConfig config, Path dataDir, int checkpointSeconds, long events)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(checkpointSeconds * 1000L);
        env.getConfig().enableObjectReuse();
        var enriched = env.fromSource(
                        SyntheticSource.asFastAsPossible(
                                SyntheticConfig.builder().workloads(200).build(), events),
                        WatermarkStrategy.noWatermarks(),
                        "synthetic")
                .map(e -> new EnrichedEvent(e, Workload.host(new Workload.Cgroup("node-a", e.cgroupId(), ""))));
        HistorySinks.events(enriched, config);
        long start = System.nanoTime();
        env.execute("measure: events to the history");
        double seconds = (System.nanoTime() - start) / 1e9;
        Table table = config.catalogLoader().loadCatalog().loadTable(HistoryTables.identifier("events"));
        Map<String, String> summary = table.currentSnapshot().summary();
        long rows = Long.parseLong(summary.get("total-records"));
        long bytes = Long.parseLong(summary.get("total-files-size"));
        long onDisk;
        try (Stream<Path> files = Files.walk(dataDir.resolve("warehouse/history/events"))) {
            onDisk = files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
        System.out.printf(
                "checkpoint every %d s: %,d source events, %,d rows (relevant events) in %.1f s = %,.0f rows/s "
                        + "(%,.0f source events/s); %d data files, %,d bytes of data files = %.1f MB per million rows, "
                        + "%.1f MB per million source events; %,d bytes under the table with metadata%n",
                checkpointSeconds,
                events,
                rows,
                seconds,
                rows / seconds,
                events / seconds,
                Long.parseLong(summary.get("total-data-files")),
                bytes,
                bytes / (rows / 1e6) / 1e6,
                bytes / (events / 1e6) / 1e6,
                onDisk);
    }

    private static void rollups(HistoryConfig config, int workloads, int days) throws Exception {
        int minutes = days * 24 * 60;
        long end = Instant.now().truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        long start = end - Duration.ofMinutes(minutes).toMillis();
        List<NoisyRollups> series = new ArrayList<>();
        for (int w = 0; w < workloads; w++) {
            Workload workload = new Workload(
                    Workload.Kind.POD,
                    new Workload.Cgroup("node-" + (w % 50), 10_000 + w, ""),
                    new Workload.Pod("ns-" + (w % 20), "app-" + w + "-0", "", "Burstable", Map.of()),
                    new Workload.Container("app", "", "containerd", ""),
                    new Workload.Owner("Deployment", "app-" + w),
                    "");
            series.add(new NoisyRollups(workload, NoisyRollups.MODERATE, NoisyRollups.Level.daily(0.3), w));
        }
        long t0 = System.nanoTime();
        NoisyHistory.write(config, series, start, minutes);
        System.out.printf(
                "%,d rollups (%d workloads, %d days) made and written in %.1f s%n",
                (long) minutes * workloads, workloads, days, (System.nanoTime() - t0) / 1e9);
    }

    private static void findings(HistoryConfig config, int workloads, int hours) throws Exception {
        HistoryTables.ensureAll(config.catalogLoader().loadCatalog());
        String[] patterns = {"crash_loop", "oom_kill", "missing_file", "dependency_unreachable", "cpu_starvation"};
        FindingRows rows = new FindingRows();
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        long t0 = System.nanoTime();
        long written = 0;
        for (int h = hours; h > 0; h--) {
            Instant hour = end.minus(Duration.ofHours(h));
            List<RowData> found = new ArrayList<>();
            for (int w = 0; w < workloads; w++) {
                Workload workload = HistoryFixture.pod("ns-" + (w % 20), "app-" + w + "-0", "app-" + w, "node-a");
                for (int report = 0; report < 12; report++) {
                    String pattern = patterns[(w + report) % patterns.length];
                    found.add(rows.row(HistoryFixture.finding(
                            workload,
                            pattern,
                            Severity.WARNING,
                            hour.plus(Duration.ofMinutes(5L * report)).plusSeconds(w),
                            "app-" + w + "-0: " + pattern)));
                }
            }
            HistoryWrites.append(config, FindingsTable.DEFINITION, found);
            written += found.size();
        }
        System.out.printf(
                "%,d findings (%d workloads, %d hours, one commit an hour) written in %.1f s%n",
                written, workloads, hours, (System.nanoTime() - t0) / 1e9);
    }
}
