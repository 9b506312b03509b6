package io.tapio.history;

import io.tapio.schemas.BenchRunsTable;
import io.tapio.schemas.RegressionsTable;
import io.tapio.schemas.TableDefinition;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;

/**
 * Rows appended to the history by a Flink batch job: what {@code tapio regress} found, and
 * what {@code tapio bench} measured. The job commits once, at its end.
 */
public final class HistoryWrites {
    private HistoryWrites() {}

    public static void regressions(HistoryConfig config, List<RegressionRow> found) throws Exception {
        RegressionRows rows = new RegressionRows();
        append(
                config,
                RegressionsTable.DEFINITION,
                found.stream().map(rows::row).toList());
    }

    public static void benchRuns(HistoryConfig config, List<BenchRun> runs) throws Exception {
        BenchRunRows rows = new BenchRunRows();
        append(config, BenchRunsTable.DEFINITION, runs.stream().map(rows::row).toList());
    }

    static void append(HistoryConfig config, TableDefinition table, List<RowData> rows) throws Exception {
        if (rows.isEmpty()) {
            return;
        }
        try (LocalClusters clusters = LocalClusters.open()) {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(clusters.configuration());
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            env.setParallelism(1);
            HistorySinks.sink(env.fromData(rows, HistorySinks.rowType(table)), table, config);
            env.execute("tapio: append to " + table.name());
        }
    }
}
