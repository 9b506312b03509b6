package io.tapio.schemas;

import static org.apache.iceberg.types.Types.DoubleType;
import static org.apache.iceberg.types.Types.LongType;
import static org.apache.iceberg.types.Types.MapType;
import static org.apache.iceberg.types.Types.StringType;
import static org.apache.iceberg.types.Types.TimestampType;

import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;

/**
 * {@code rollups}: one row per workload and minute, what regression detection compares. Each
 * metric has a value column (null in a minute without events behind it) and a
 * {@code _samples} column with the number of events behind the value.
 */
public final class RollupsTable {
    public static final String NAME = "rollups";

    /**
     * The metrics, as the streaming job's {@code RollupMetric} labels; higher is worse for each.
     * A new metric is a new pair of optional columns: {@link HistoryTables#ensure} adds them to
     * an existing table.
     */
    public static final List<Metric> METRICS = List.of(
            new Metric("event_rate", "Events per minute"),
            new Metric("failures", "Failures per minute: abnormal exits, OOM kills, failed connects and opens"),
            new Metric("runq_slow_waits", "Run-queue waits over the kernel's threshold per minute"),
            new Metric("runq_latency_p99", "p99 run-queue wait of the slow waits, seconds"),
            new Metric("block_io_slow", "Block I/O requests over the threshold per minute"),
            new Metric("block_io_latency_p99", "p99 block I/O latency of the slow requests, seconds"),
            new Metric("connect_latency_p99", "p99 TCP connect latency, seconds"));

    /** A metric column: {@code name} holds the value, {@code name_samples} the events behind it. */
    public record Metric(String name, String doc) {
        public String samplesColumn() {
            return name + "_samples";
        }
    }

    public static final TableDefinition DEFINITION = definition();

    private RollupsTable() {}

    private static TableDefinition definition() {
        Columns columns = new Columns()
                .required("minute_start", TimestampType.withZone(), "The start of the minute")
                .workload();
        int key = columns.nextId();
        int value = columns.nextId();
        columns.required(
                "events",
                MapType.ofRequired(key, value, StringType.get(), LongType.get()),
                "Events in the minute by type");
        for (Metric m : METRICS) {
            columns.optional(m.name(), DoubleType.get(), m.doc())
                    .optional(m.samplesColumn(), LongType.get(), "Events behind " + m.name());
        }
        return new TableDefinition(
                NAME,
                "Per-workload, per-minute rollups",
                columns.schema(),
                schema -> PartitionSpec.builderFor(schema).day("minute_start").build(),
                schema -> SortOrder.builderFor(schema)
                        .asc("workload_key")
                        .asc("minute_start")
                        .build(),
                TableProperties.partitioned("Per-workload, per-minute rollups", 128));
    }
}
