package io.tapio.history;

import io.tapio.schemas.BenchRunsTable;
import org.apache.flink.table.data.RowData;

/** A benchmark case's run as a row of {@code bench_runs}. */
final class BenchRunRows {
    private final RowBuilder rows =
            new RowBuilder(BenchRunsTable.DEFINITION.schema().asStruct());

    RowData row(BenchRun r) {
        return rows.row()
                .set("started_at", r.startedAt())
                .set("run_id", r.runId())
                .set("benchmark", r.benchmark())
                .set("case_name", r.caseName())
                .set("git_commit", r.gitCommit())
                .set("host", r.host())
                .set("throughput", r.throughput())
                .set("p50_latency", r.p50Latency())
                .set("p99_latency", r.p99Latency())
                .set("p999_latency", r.p999Latency())
                .set("lost", r.lost())
                .set("parameters", r.parameters())
                .set("cost", r.cost())
                .set("cost_unit", r.costUnit())
                .build();
    }
}
