package io.tapio.schemas;

import static org.apache.iceberg.types.Types.DoubleType;
import static org.apache.iceberg.types.Types.IntegerType;
import static org.apache.iceberg.types.Types.LongType;
import static org.apache.iceberg.types.Types.StringType;
import static org.apache.iceberg.types.Types.TimestampType;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;

/**
 * {@code regressions}: a metric that moved beyond its threshold against its own baseline,
 * found by the streaming detector, by {@code tapio regress} over the rollups, or by
 * {@code tapio regress} over the benchmark runs. Small: split by month.
 */
public final class RegressionsTable {
    public static final String NAME = "regressions";

    public static final TableDefinition DEFINITION = new TableDefinition(
            NAME,
            "Regressions: a metric beyond its threshold against its baseline",
            new Columns()
                    .required("detected_at", TimestampType.withZone(), "When it was found")
                    .required(
                            "source",
                            StringType.get(),
                            "stream (the streaming detector), rollups (tapio regress over the history) or bench "
                                    + "(tapio regress over bench_runs)")
                    .workload()
                    .required(
                            "metric",
                            StringType.get(),
                            "A rollups metric column (runq_latency_p99, ...); for bench: throughput, p99_latency or cost")
                    .required("window_start", TimestampType.withZone(), "The start of the window that regressed")
                    .required("window_end", TimestampType.withZone(), "Its end (exclusive)")
                    .required("baseline_value", DoubleType.get(), "The metric's usual value")
                    .required("current_value", DoubleType.get(), "Its value in the window")
                    .required(
                            "change_percent",
                            DoubleType.get(),
                            "How much worse, in percent of the baseline (for throughput, the drop)")
                    .optional(
                            "threshold_percent",
                            DoubleType.get(),
                            "The threshold it crossed; null from the streaming detector, whose rule also weighs "
                                    + "persistence and confidence")
                    .required(
                            "confidence",
                            DoubleType.get(),
                            "0 to 1: how unlikely the change is under the baseline's own variation; stream and "
                                    + "rollups: corrected for how often they judge (1 - p x judgements a week)")
                    .required(
                            "windows",
                            IntegerType.get(),
                            "stream: minutes of the window that rose; rollups: minutes with data in the window; "
                                    + "bench: 1")
                    .required("samples", LongType.get(), "Events (or runs) behind the current value")
                    .schema(),
            schema -> PartitionSpec.builderFor(schema).month("window_start").build(),
            schema -> SortOrder.builderFor(schema)
                    .asc("window_start")
                    .asc("workload_key")
                    .build(),
            TableProperties.partitioned("Regressions", 16));

    private RegressionsTable() {}
}
