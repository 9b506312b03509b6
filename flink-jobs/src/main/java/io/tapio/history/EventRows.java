package io.tapio.history;

import io.tapio.ebpf.abi.BlockIoLatency;
import io.tapio.ebpf.abi.EventPayload;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OomKill;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.ebpf.abi.Signal;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.ebpf.abi.TcpReset;
import io.tapio.ebpf.abi.TcpRetransmit;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.EventText;
import io.tapio.schemas.EventsTable;
import java.time.Instant;
import org.apache.flink.table.data.RowData;

/**
 * Which events the history keeps, and their rows. Kept: what a person looks up after an
 * incident (abnormal exits, OOM kills, signals, failed opens, failed connects, resets,
 * retransmits, and the run-queue and block-I/O waits the kernel already found slow). Not kept:
 * execs, clean exits and connects that succeeded, the bulk of the stream, whose sums are in
 * {@code rollups}.
 */
final class EventRows {
    private final RowBuilder rows =
            new RowBuilder(EventsTable.DEFINITION.schema().asStruct());

    static boolean relevant(KernelEvent event) {
        return switch (event.payload()) {
            case Exec ignored -> false;
            case Exit exit -> exit.abnormal();
            case TcpConnect connect -> connect.outcome().failed();
            default -> true;
        };
    }

    /** The row of an event that happened at {@code epochMillis}, wall clock. */
    RowData row(EnrichedEvent enriched, long epochMillis) {
        KernelEvent e = enriched.event();
        RowBuilder.Row row = rows.row()
                .set("event_time", Instant.ofEpochMilli(epochMillis))
                .set("kernel_ts_ns", e.timestampNs())
                .set("type", e.type().label())
                .set("cgroup_id", e.cgroupId())
                .set("cpu", e.cpu())
                .set("pid", e.pid())
                .set("tid", e.tid())
                .set("comm", e.comm());
        WorkloadColumns.set(row, WorkloadId.of(enriched.workload()));
        EventPayload payload = e.payload();
        payload(row, payload);
        return row.set("detail", EventText.describe(payload)).build();
    }

    private static void payload(RowBuilder.Row row, EventPayload payload) {
        switch (payload) {
            case Exec exec -> row.set("path", exec.filename());
            case Exit exit -> row.set("exit_status", exit.exitStatus()).set("signal", exit.signal());
            case OomKill oom ->
                row.set("memory_limit_bytes", oom.memcgLimitBytes()).set("memory_usage_bytes", oom.memcgUsageBytes());
            case Signal signal -> row.set("signal", signal.signal());
            case OpenFailed open -> row.set("error", open.error()).set("path", open.path());
            case TcpConnect connect ->
                row.set("latency_ns", connect.latencyNs())
                        .set("error", connect.error())
                        .set("peer", EventText.address(connect.endpoints().destination()));
            case TcpReset reset ->
                row.set("peer", EventText.address(reset.endpoints().destination()));
            case TcpRetransmit retransmit ->
                row.set("peer", EventText.address(retransmit.endpoints().destination()));
            case RunqLatency runq -> row.set("latency_ns", runq.latencyNs());
            case BlockIoLatency io -> row.set("latency_ns", io.latencyNs()).set("io_bytes", (long) io.bytes());
        }
    }
}
