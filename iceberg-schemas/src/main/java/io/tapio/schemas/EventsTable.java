package io.tapio.schemas;

import static org.apache.iceberg.types.Types.IntegerType;
import static org.apache.iceberg.types.Types.LongType;
import static org.apache.iceberg.types.Types.StringType;
import static org.apache.iceberg.types.Types.TimestampType;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;

/**
 * {@code events}: the kernel events worth looking up later (failures, kills, slow waits), not
 * the firehose of every exec and clean exit. The largest table: split by day and node.
 */
public final class EventsTable {
    public static final String NAME = "events";

    public static final TableDefinition DEFINITION = new TableDefinition(
            NAME,
            "Relevant kernel events, one row each, with the workload they belong to",
            new Columns()
                    .required("event_time", TimestampType.withZone(), "When it happened, wall clock")
                    .required(
                            "kernel_ts_ns",
                            LongType.get(),
                            "bpf_ktime_get_ns() of the event (CLOCK_MONOTONIC of its node); with node, cpu, pid, tid "
                                    + "and type it identifies the event")
                    .required(
                            "type",
                            StringType.get(),
                            "exit, oom_kill, signal, open_failed, tcp_connect, tcp_reset, tcp_retransmit, runq_latency, "
                                    + "block_io_latency")
                    .workload()
                    .required("cgroup_id", LongType.get(), "The cgroup v2 id the kernel reported")
                    .required("cpu", IntegerType.get(), "The CPU it happened on")
                    .required("pid", IntegerType.get(), "The process (thread group) it is about")
                    .required("tid", IntegerType.get(), "The thread it is about")
                    .required("comm", StringType.get(), "The task's name (at most 15 bytes)")
                    .optional(
                            "latency_ns",
                            LongType.get(),
                            "tcp_connect: SYN to outcome; runq_latency: wait for a CPU; block_io_latency: request to completion")
                    .optional(
                            "error",
                            IntegerType.get(),
                            "open_failed, tcp_connect: the errno (2 ENOENT, 13 EACCES, 111 ECONNREFUSED)")
                    .optional("exit_status", IntegerType.get(), "exit: the status passed to exit(2)")
                    .optional("signal", IntegerType.get(), "exit: the terminating signal; signal: the signal sent")
                    .optional("path", StringType.get(), "open_failed: the path")
                    .optional("peer", StringType.get(), "tcp_*: the remote address and port")
                    .optional("io_bytes", LongType.get(), "block_io_latency: the request's size")
                    .optional("memory_limit_bytes", LongType.get(), "oom_kill: the memory cgroup's limit")
                    .optional("memory_usage_bytes", LongType.get(), "oom_kill: the memory cgroup's usage at the kill")
                    .required("detail", StringType.get(), "What happened, as a person reads it")
                    .schema(),
            schema -> PartitionSpec.builderFor(schema)
                    .day("event_time")
                    .identity("node")
                    .build(),
            schema -> SortOrder.builderFor(schema)
                    .asc("workload_key")
                    .asc("event_time")
                    .build(),
            TableProperties.partitioned("Relevant kernel events", 256));

    private EventsTable() {}
}
