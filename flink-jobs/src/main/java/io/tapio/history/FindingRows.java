package io.tapio.history;

import io.tapio.model.Finding;
import io.tapio.schemas.FindingsTable;
import java.time.Instant;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.types.Types;

/** A finding report as a row of {@code findings}. */
final class FindingRows {
    private final RowBuilder rows;
    private final RowBuilder evidence;

    FindingRows() {
        Types.StructType struct = FindingsTable.DEFINITION.schema().asStruct();
        rows = new RowBuilder(struct);
        evidence = new RowBuilder(
                struct.field("evidence").type().asListType().elementType().asStructType());
    }

    RowData row(Finding f) {
        RowBuilder.Row row = rows.row()
                .set("detected_at", Instant.ofEpochMilli(f.detectedEpochMillis()))
                .set("episode_id", f.episodeId())
                .set("status", f.status().name())
                .set("pattern_name", f.pattern())
                .set("severity", f.severity().label())
                .set("subject", f.subject())
                .set("first_seen", Instant.ofEpochMilli(f.firstSeenEpochMillis()))
                .set("last_seen", Instant.ofEpochMilli(f.lastSeenEpochMillis()))
                .set("event_count", f.count())
                .set("summary", f.summary())
                .set("recommendation", f.recommendation())
                .set("latency_ns", f.latencyNanos())
                .set(
                        "evidence",
                        f.evidence().stream()
                                .map(e -> evidence.row()
                                        .set("event_time", Instant.ofEpochMilli(e.epochMillis()))
                                        .set("type", e.type())
                                        .set("pid", e.pid())
                                        .set("comm", e.comm())
                                        .set("description", e.description())
                                        .build())
                                .toList());
        if (f.cause() != null) {
            row.set("cause_pattern", f.cause().pattern())
                    .set("cause_subject", f.cause().subject());
        }
        return WorkloadColumns.set(row, WorkloadId.of(f.workload())).build();
    }
}
