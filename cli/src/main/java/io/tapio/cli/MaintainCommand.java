package io.tapio.cli;

import io.tapio.history.HistoryConfig;
import io.tapio.history.TableMaintenance;
import io.tapio.schemas.HistoryTables;
import io.tapio.schemas.TableDefinition;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.CommitFailedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tapio maintain}: compaction, snapshot expiry and orphan removal, once or on a schedule. */
@Command(
        name = "maintain",
        mixinStandardHelpOptions = true,
        description = {
            "Compacts the history's small files (a Flink batch job), expires old snapshots and removes "
                    + "orphan files, for every table. Safe to run beside the streaming job.",
            "Run it once (a CronJob) or with --every to keep running."
        })
final class MaintainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HistoryOptions history;

    @Option(
            names = "--every",
            converter = DurationConverter.class,
            paramLabel = "D",
            description = "Run a round every D (e.g. 1h) until stopped; without it, one round.")
    Duration every;

    @Option(
            names = "--snapshot-age",
            defaultValue = "7d",
            converter = DurationConverter.class,
            paramLabel = "D",
            description = "Expire snapshots older than D; time travel reaches back this far. It must outlast any "
                    + "downtime of the streaming job (default: ${DEFAULT-VALUE}).")
    Duration snapshotAge;

    @Option(
            names = "--retain-last",
            defaultValue = "100",
            paramLabel = "N",
            description = "Keep the latest N snapshots whatever their age (default: ${DEFAULT-VALUE}).")
    int retainLast;

    @Option(
            names = "--orphan-age",
            defaultValue = "3d",
            converter = DurationConverter.class,
            paramLabel = "D",
            description = "Remove unreferenced files older than D; younger ones may be a running writer's "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration orphanAge;

    @Option(
            names = "--tables",
            split = ",",
            paramLabel = "T",
            description = "Only these tables (default: all of events, findings, rollups, regressions, bench_runs).")
    List<String> tables;

    @Override
    public Integer call() throws Exception {
        HistoryConfig config = history.config();
        TableMaintenance.Options options = new TableMaintenance.Options(snapshotAge, retainLast, orphanAge);
        List<String> chosen = tables != null
                ? tables
                : HistoryTables.ALL.stream().map(TableDefinition::name).toList();
        while (true) {
            round(config.catalogLoader().loadCatalog(), chosen, options);
            if (every == null) {
                return 0;
            }
            Thread.sleep(every);
        }
    }

    private void round(Catalog catalog, List<String> chosen, TableMaintenance.Options options) {
        PrintWriter out = spec.commandLine().getOut();
        HistoryTables.ensureAll(catalog);
        Table table =
                new Table("table", "data files before", "after", "rewritten", "snapshots expired", "orphans removed");
        for (String name : chosen) {
            try {
                var r = TableMaintenance.run(catalog.loadTable(HistoryTables.identifier(name)), options);
                table.row(
                        name,
                        r.filesBefore(),
                        r.filesAfter(),
                        r.filesRewritten(),
                        r.snapshotsExpired(),
                        r.orphansRemoved());
            } catch (CommitFailedException e) {
                // another writer kept winning the race to commit: the next round tries again
                table.row(name, "-", "-", "-", "-", "-");
                spec.commandLine().getErr().println("tapio maintain: " + name + ": " + e.getMessage());
            }
        }
        out.printf("maintenance at %s%n%s", Instant.now(), table);
        out.flush();
    }
}
