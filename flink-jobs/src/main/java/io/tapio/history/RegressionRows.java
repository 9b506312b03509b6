package io.tapio.history;

import io.tapio.schemas.RegressionsTable;
import org.apache.flink.table.data.RowData;

/** A regression as a row of {@code regressions}. */
final class RegressionRows {
    private final RowBuilder rows =
            new RowBuilder(RegressionsTable.DEFINITION.schema().asStruct());

    RowData row(RegressionRow r) {
        RowBuilder.Row row = rows.row()
                .set("detected_at", r.detectedAt())
                .set("source", r.source())
                .set("metric", r.metric())
                .set("window_start", r.windowStart())
                .set("window_end", r.windowEnd())
                .set("baseline_value", r.baseline())
                .set("current_value", r.current())
                .set("change_percent", r.changePercent())
                .set("threshold_percent", r.thresholdPercent())
                .set("confidence", r.confidence())
                .set("windows", r.windows())
                .set("samples", r.samples());
        return WorkloadColumns.set(row, r.workload()).build();
    }
}
