package io.tapio.history;

import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFilesActionResult;
import org.apache.iceberg.flink.actions.Actions;

/**
 * Keeps a table that a streaming writer commits to on every checkpoint fast to read and
 * bounded on disk: compacts the small files of the checkpoints into files of the table's
 * target size (a Flink batch job), expires old snapshots and the files only they referred to,
 * and removes orphan files. Safe beside the streaming writer: the writer only appends, so
 * Iceberg's optimistic commits let a compaction and an append both succeed (the loser
 * retries); and orphans younger than the minimum age are left alone.
 *
 * @see Options the retention, which must outlast the writer's downtime: the writer's last
 *     snapshot is how it knows, when it restarts, which checkpoints it already committed
 */
public final class TableMaintenance {
    private TableMaintenance() {}

    /**
     * @param snapshotAge snapshots older than this are expired (time travel reaches this far back)
     * @param retainLast the latest snapshots kept whatever their age
     * @param orphanAge unreferenced files older than this are removed
     */
    public record Options(Duration snapshotAge, int retainLast, Duration orphanAge) {
        public Options {
            if (retainLast < 1) {
                throw new IllegalArgumentException("at least the current snapshot is retained, not " + retainLast);
            }
        }
    }

    /** What one round did to one table. */
    public record Report(
            String table,
            long filesBefore,
            long filesAfter,
            int filesRewritten,
            int snapshotsExpired,
            int orphansRemoved) {}

    public static Report run(Table table, Options options) {
        long filesBefore = dataFiles(table);
        int rewritten = compact(table);
        int snapshotsBefore = count(table.snapshots());
        table.expireSnapshots()
                .expireOlderThan(Instant.now().minus(options.snapshotAge()).toEpochMilli())
                .retainLast(options.retainLast())
                .commit();
        table.refresh();
        int expired = snapshotsBefore - count(table.snapshots());
        int orphans = OrphanFiles.remove(table, options.orphanAge());
        return new Report(table.name(), filesBefore, dataFiles(table), rewritten, expired, orphans);
    }

    /** Rewrites the small files of each partition into files of the target size; returns how many were rewritten. */
    private static int compact(Table table) {
        if (table.currentSnapshot() == null) {
            return 0;
        }
        RewriteDataFilesActionResult result;
        try (LocalClusters clusters = LocalClusters.open()) {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(clusters.configuration());
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            // Planning counts each file as at least its open cost (4 MiB by default), which would
            // split a few hundred small checkpoint files over many output files: count their size.
            result = Actions.forTable(env, table)
                    .rewriteDataFiles()
                    .splitOpenFileCost(1)
                    .execute();
        }
        table.refresh();
        return result.deletedDataFiles().size();
    }

    private static long dataFiles(Table table) {
        Snapshot current = table.currentSnapshot();
        return current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-data-files", "0"));
    }

    private static int count(Iterable<Snapshot> snapshots) {
        int n = 0;
        for (Snapshot ignored : snapshots) {
            n++;
        }
        return n;
    }
}
