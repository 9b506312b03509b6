package io.tapio.history;

import io.tapio.rollup.NoisyRollups;
import io.tapio.schemas.HistoryTables;
import io.tapio.schemas.RollupsTable;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;

/**
 * A history of {@link NoisyRollups}: every minute of every series, made in a Flink batch job and
 * written to {@code rollups} through the streaming job's converter and Iceberg sink.
 */
public final class NoisyHistory {
    private NoisyHistory() {}

    public static void write(HistoryConfig config, List<NoisyRollups> series, long startEpochMillis, int minutes)
            throws Exception {
        HistoryTables.ensureAll(config.catalogLoader().loadCatalog());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        var rows = env.fromSequence(0, (long) series.size() * minutes - 1)
                .map(new RowOf(series, startEpochMillis, minutes), HistorySinks.rowType(RollupsTable.DEFINITION));
        HistorySinks.sink(rows, RollupsTable.DEFINITION, config);
        env.execute("a history of " + series.size() + " workloads' rollups");
    }

    /** Row {@code i}: minute {@code i % minutes} of series {@code i / minutes}. */
    private static final class RowOf implements MapFunction<Long, RowData> {
        private final List<NoisyRollups> series;
        private final long start;
        private final int minutes;
        private transient RollupRows rows;

        RowOf(List<NoisyRollups> series, long start, int minutes) {
            this.series = series;
            this.start = start;
            this.minutes = minutes;
        }

        @Override
        public RowData map(Long i) {
            if (rows == null) {
                rows = new RollupRows();
            }
            return rows.row(series.get((int) (i / minutes)).minute(start, i % minutes));
        }
    }
}
