package io.tapio.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
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
 *
 * <p>Outside a Flink cluster each statement runs on a MiniCluster of its own, which Flink closes
 * asynchronously once the statement's job ends: a command that exits right after its last
 * statement would leave that cluster's working directory ({@code minicluster_*}) in the
 * machine's temporary directory, one per run. So the clusters work in a directory this object
 * owns, and {@link #close} waits for them to have closed before it removes the directory. Those
 * clusters' sockets (REST, blobs) bind to loopback, where Flink's default is every interface;
 * only the bind options are set, which a statement sent to a real cluster ({@code flink run})
 * does not use, so its client still finds that cluster where {@code rest.address} says.
 */
public final class HistorySql implements AutoCloseable {
    /** Closing a MiniCluster takes well under a second; a cluster still open after this is not waited for. */
    private static final long CLUSTERS_CLOSE_MILLIS = 10_000;

    private static final String CLUSTER_DIR_PREFIX = "minicluster_";

    private final Path clusterDirs;
    private final TableEnvironment tables;

    public HistorySql(HistoryConfig config) {
        try {
            clusterDirs = Files.createTempDirectory("tapio-sql-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a working directory for SQL over the history", e);
        }
        Configuration flink = new Configuration();
        flink.set(ClusterOptions.PROCESS_WORKING_DIR_BASE, clusterDirs.toString());
        flink.set(WebOptions.TMP_DIR, clusterDirs.toString());
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        flink.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        tables = TableEnvironment.create(EnvironmentSettings.newInstance()
                .inBatchMode()
                .withConfiguration(flink)
                .build());
        tables.getConfig().set("table.local-time-zone", "UTC");
        tables.executeSql(config.createCatalogStatement());
        tables.useCatalog(HistoryConfig.CATALOG);
        tables.useDatabase(HistoryConfig.database());
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

    /**
     * Waits until the clusters the statements ran on have closed (each removes its working
     * directory as it does), for a few seconds at most, then removes the directory they worked
     * in, with what else they left there (the REST endpoint's upload directory).
     */
    @Override
    public void close() {
        try {
            long deadline = System.nanoTime() + CLUSTERS_CLOSE_MILLIS * 1_000_000;
            while (clusterOpen() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> left = Files.walk(clusterDirs)) {
            for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + clusterDirs, e);
        }
    }

    private boolean clusterOpen() {
        try (Stream<Path> entries = Files.list(clusterDirs)) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith(CLUSTER_DIR_PREFIX));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
