package io.tapio.history;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.Rollup;
import io.tapio.model.RollupMetric;
import io.tapio.model.Severity;
import io.tapio.model.Workload;
import io.tapio.schemas.EventsTable;
import io.tapio.schemas.FindingsTable;
import io.tapio.schemas.HistoryTables;
import io.tapio.schemas.RollupsTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.table.data.RowData;

/**
 * A small history with a known story, written through the same converters and Iceberg sink
 * as the streaming job's: three workloads over the same hour of eight days, one of which
 * (checkout) waits twice as long for a CPU in the last day's hour; findings on each day; the
 * relevant events of a minute of the last hour, of every type; and five runs of a benchmark
 * whose latest throughput dropped 20%.
 *
 * <p>{@code main(DATA_DIR)} writes it into {@code DATA_DIR}'s Hadoop catalog, for tests whose
 * own class path has no Flink.
 */
public final class HistoryFixture {
    /** The end of the hour that regressed. */
    public static final Instant END = Instant.parse("2026-01-08T15:00:00Z");

    public static final Duration WINDOW = Duration.ofHours(1);
    public static final int DAYS = 8;
    public static final String REGRESSED = "payments/deployment/checkout";
    /** Findings per day: checkout 3, cart 1. */
    public static final int CHECKOUT_FINDINGS_PER_DAY = 3;

    public static final int CART_FINDINGS_PER_DAY = 1;

    static final Workload CHECKOUT = pod("payments", "checkout-7f9c-x2", "checkout", "node-a");
    static final Workload CART = pod("shop", "cart-5d8b-q1", "cart", "node-a");
    static final Workload AGENT = pod("kube-system", "node-agent-zz", "node-agent", "node-b");

    /** Synthetic events for the events table: the minute before the last finding, at 200 events/s. */
    private static final int EVENT_SECONDS = 60;

    private HistoryFixture() {}

    public static void main(String[] args) throws Exception {
        write(HistoryConfig.hadoop(Path.of(args[0])));
    }

    public static void write(HistoryConfig config) throws Exception {
        HistoryTables.ensureAll(config.catalogLoader().loadCatalog());
        HistoryWrites.append(config, RollupsTable.DEFINITION, rollups());
        HistoryWrites.append(config, FindingsTable.DEFINITION, findings());
        HistoryWrites.append(config, EventsTable.DEFINITION, events());
        HistoryWrites.benchRuns(config, benchRuns());
    }

    /** Every relevant event the synthetic generator makes in a minute, as checkout's, at wall-clock times of that minute. */
    private static List<RowData> events() {
        EventRows rows = new EventRows();
        long start = END.minus(Duration.ofMinutes(31)).toEpochMilli();
        SyntheticEventGenerator generator = new SyntheticEventGenerator(
                SyntheticConfig.builder().seed(7).eventsPerSecond(200).build(), 0);
        List<RowData> out = new ArrayList<>();
        for (KernelEvent e : generator.next(Duration.ofSeconds(EVENT_SECONDS).toNanos())) {
            if (EventRows.relevant(e)) {
                out.add(rows.row(new EnrichedEvent(e, CHECKOUT), start + e.timestampNs() / 1_000_000));
            }
        }
        return out;
    }

    private static List<RowData> rollups() {
        RollupRows rows = new RollupRows();
        Random noise = new Random(42);
        List<RowData> out = new ArrayList<>();
        for (int day = DAYS - 1; day >= 0; day--) {
            Instant start = END.minus(WINDOW).minus(Duration.ofDays(day));
            for (Instant minute = start; minute.isBefore(start.plus(WINDOW)); minute = minute.plusSeconds(60)) {
                for (Workload w : List.of(CHECKOUT, CART, AGENT)) {
                    double runqP99 = 0.004 * (1 + 0.1 * (noise.nextDouble() - 0.5));
                    if (w == CHECKOUT && day == 0) {
                        runqP99 *= 2;
                    }
                    out.add(rows.row(rollup(w, minute, runqP99, noise)));
                }
            }
        }
        return out;
    }

    private static Rollup rollup(Workload w, Instant minute, double runqP99, Random noise) {
        long events = 1_000 + noise.nextInt(50);
        Map<RollupMetric, Rollup.Sample> metrics = new EnumMap<>(RollupMetric.class);
        metrics.put(RollupMetric.EVENT_RATE, new Rollup.Sample(events, events));
        metrics.put(RollupMetric.FAILURES, new Rollup.Sample(2, 2));
        metrics.put(RollupMetric.RUNQ_SLOW_WAITS, new Rollup.Sample(40, 40));
        metrics.put(RollupMetric.RUNQ_LATENCY_P99, new Rollup.Sample(runqP99, 40));
        metrics.put(
                RollupMetric.CONNECT_LATENCY_P99,
                new Rollup.Sample(0.002 * (1 + 0.1 * (noise.nextDouble() - 0.5)), 60));
        return new Rollup(
                w.key(), w, minute.toEpochMilli(), Map.of("exec", events / 2, "exit", events / 2), 2, metrics);
    }

    private static List<RowData> findings() {
        FindingRows rows = new FindingRows();
        List<RowData> out = new ArrayList<>();
        for (int day = DAYS - 1; day >= 0; day--) {
            Instant at = END.minus(Duration.ofMinutes(30)).minus(Duration.ofDays(day));
            for (int i = 0; i < CHECKOUT_FINDINGS_PER_DAY; i++) {
                out.add(rows.row(finding(
                        CHECKOUT,
                        "oom_crash_loop",
                        Severity.CRITICAL,
                        at.plusSeconds(60L * i),
                        "checkout-7f9c-x2 was OOM-killed 4 times in 6 min, memory limit 256 MiB, restart loop")));
            }
            for (int i = 0; i < CART_FINDINGS_PER_DAY; i++) {
                out.add(rows.row(finding(
                        CART,
                        "connect_refused",
                        Severity.WARNING,
                        at.plusSeconds(90L * i),
                        "cart-5d8b-q1: 12 connects to 10.0.0.7:5432 refused in 1 min")));
            }
        }
        return out;
    }

    static Finding finding(Workload w, String pattern, Severity severity, Instant at, String summary) {
        long t = at.toEpochMilli();
        return new Finding(
                pattern + "/" + w.key() + "/" + t,
                Finding.Status.OPEN,
                pattern,
                severity,
                w,
                "",
                t - 360_000,
                t,
                4,
                summary,
                "raise the memory limit or fix the leak",
                List.of(new Finding.Evidence(t, "oom_kill", 4242, "java", "OOM-killed at 256 MiB of a 256 MiB limit")),
                t + 5,
                2_000_000,
                null);
    }

    private static List<BenchRun> benchRuns() {
        double[] throughput = {1_000_000, 1_020_000, 980_000, 1_010_000, 800_000};
        double[] idleCpuPercent = {5.0, 5.2, 4.8, 5.0, 9.0};
        List<BenchRun> runs = new ArrayList<>();
        for (int i = 0; i < throughput.length; i++) {
            Instant started =
                    END.minus(Duration.ofDays(throughput.length - 1 - i)).minus(Duration.ofHours(3));
            runs.add(new BenchRun(
                    started,
                    "run-" + i,
                    "job",
                    "100000/s",
                    "c0ffee" + i,
                    "ci",
                    throughput[i],
                    80e-6,
                    300e-6 + i * 1e-6,
                    900e-6,
                    0L,
                    Map.of("step-seconds", "10")));
            runs.add(new BenchRun(
                    started,
                    "run-" + i,
                    "job",
                    "max",
                    "c0ffee" + i,
                    "ci",
                    2_000_000.0,
                    null,
                    null,
                    null,
                    0L,
                    Map.of("step-seconds", "10")));
            runs.add(new BenchRun(
                    started,
                    "run-" + i,
                    "node",
                    "idle cpu",
                    "c0ffee" + i,
                    "ci",
                    null,
                    null,
                    null,
                    null,
                    null,
                    Map.of("windows", "5"),
                    idleCpuPercent[i],
                    "percent_of_core"));
        }
        return runs;
    }

    static Workload pod(String namespace, String pod, String deployment, String node) {
        return new Workload(
                Workload.Kind.POD,
                new Workload.Cgroup(node, 4711, "/kubepods/" + pod),
                new Workload.Pod(namespace, pod, "uid-" + pod, "Burstable", Map.of("app", deployment)),
                new Workload.Container("app", "cid-" + pod, "containerd", "registry/" + deployment + ":1"),
                new Workload.Owner("Deployment", deployment),
                "");
    }
}
