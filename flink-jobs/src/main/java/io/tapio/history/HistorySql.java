package io.tapio.history;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Flink SQL in batch mode over the history: the catalog registered as {@code tapio} and its
 * {@code history} database in use, so that a query names tables as {@code findings} and
 * not {@code tapio.history.findings}. Times are shown in UTC, whatever the machine's zone.
 * Closing it waits for the clusters its statements ran on ({@link LocalClusters}).
 */
public final class HistorySql implements AutoCloseable {
    private final LocalClusters clusters = LocalClusters.open();
    private final TableEnvironment tables;

    /** @throws org.apache.flink.table.catalog.exceptions.CatalogException when the catalog has no history */
    public HistorySql(HistoryConfig config) {
        try {
            tables = TableEnvironment.create(EnvironmentSettings.newInstance()
                    .inBatchMode()
                    .withConfiguration(clusters.configuration())
                    .build());
            tables.getConfig().set("table.local-time-zone", "UTC");
            tables.executeSql(config.createCatalogStatement());
            tables.useCatalog(HistoryConfig.CATALOG);
            tables.useDatabase(HistoryConfig.database());
        } catch (RuntimeException | Error e) {
            clusters.close(); // nobody gets an object to close
            throw e;
        }
    }

    /** A statement's answer: its columns, their types, and the rows, all of them. */
    public record Result(List<String> columns, List<LogicalType> types, List<Row> rows) {}

    /**
     * Runs one statement and collects what it answers.
     *
     * @throws org.apache.flink.table.api.SqlParserException when it does not parse
     * @throws org.apache.flink.table.api.ValidationException when it names what does not exist
     */
    public Result query(String statement) throws Exception {
        TableResult result = tables.executeSql(statement);
        List<Column> columns = result.getResolvedSchema().getColumns();
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        return new Result(
                columns.stream().map(Column::getName).toList(),
                columns.stream().map(c -> c.getDataType().getLogicalType()).toList(),
                rows);
    }

    @Override
    public void close() {
        clusters.close();
    }
}
