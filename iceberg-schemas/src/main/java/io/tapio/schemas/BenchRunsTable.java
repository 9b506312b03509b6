package io.tapio.schemas;

import static org.apache.iceberg.types.Types.DoubleType;
import static org.apache.iceberg.types.Types.LongType;
import static org.apache.iceberg.types.Types.MapType;
import static org.apache.iceberg.types.Types.StringType;
import static org.apache.iceberg.types.Types.TimestampType;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;

/**
 * {@code bench_runs}: Tapio's own benchmark results, one row per benchmark case and run, so
 * that {@code tapio regress} watches Tapio's throughput, p99 latency and cost to the node as
 * it watches the workloads'. A few rows a day: unpartitioned.
 */
public final class BenchRunsTable {
    public static final String NAME = "bench_runs";

    public static final TableDefinition DEFINITION = definition();

    private BenchRunsTable() {}

    private static TableDefinition definition() {
        Columns columns = new Columns()
                .required("started_at", TimestampType.withZone(), "When the run started")
                .required("run_id", StringType.get(), "One run of tapio bench; its cases share it")
                .required("benchmark", StringType.get(), "job, collector, overhead, ...")
                .required(
                        "case_name",
                        StringType.get(),
                        "The case within the benchmark (a load rate, a consumer); runs are compared case by case")
                .optional("git_commit", StringType.get(), "The commit that was measured")
                .required("host", StringType.get(), "The machine it ran on")
                .optional("throughput", DoubleType.get(), "Events per second; higher is better")
                .optional("p50_latency", DoubleType.get(), "Median latency, seconds")
                .optional("p99_latency", DoubleType.get(), "p99 latency, seconds; lower is better")
                .optional("p999_latency", DoubleType.get(), "p99.9 latency, seconds")
                .optional("lost", LongType.get(), "Events lost");
        int key = columns.nextId();
        int value = columns.nextId();
        columns.required(
                        "parameters",
                        MapType.ofRequired(key, value, StringType.get(), StringType.get()),
                        "The run's settings (rates, rounds, threads)")
                .optional(
                        "cost",
                        DoubleType.get(),
                        "What the case costs the node, in cost_unit (CPU, memory, a slowdown); lower is better")
                .optional(
                        "cost_unit",
                        StringType.get(),
                        "The unit of cost: percent_of_core, mib, threads, cpu_us_per_event, slowdown_percent");
        return new TableDefinition(
                NAME,
                "Tapio's own benchmark results",
                columns.schema(),
                schema -> PartitionSpec.unpartitioned(),
                schema -> SortOrder.builderFor(schema)
                        .asc("benchmark")
                        .asc("case_name")
                        .asc("started_at")
                        .build(),
                TableProperties.unpartitioned("Tapio's own benchmark results", 8));
    }
}
