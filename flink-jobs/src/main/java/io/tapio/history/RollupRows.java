package io.tapio.history;

import io.tapio.model.Rollup;
import io.tapio.model.RollupMetric;
import io.tapio.schemas.RollupsTable;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.table.data.RowData;

/** A workload's minute as a row of {@code rollups}: one value and one sample count per metric. */
final class RollupRows {
    private final RowBuilder rows =
            new RowBuilder(RollupsTable.DEFINITION.schema().asStruct());

    RowData row(Rollup r) {
        RowBuilder.Row row = rows.row()
                .set("minute_start", Instant.ofEpochMilli(r.minuteEpochMillis()))
                .set("events", r.events());
        for (Map.Entry<RollupMetric, Rollup.Sample> m : r.metrics().entrySet()) {
            String column = m.getKey().label();
            row.set(column, m.getValue().value())
                    .set(column + "_samples", m.getValue().count());
        }
        return WorkloadColumns.set(row, WorkloadId.of(r.workload())).build();
    }
}
