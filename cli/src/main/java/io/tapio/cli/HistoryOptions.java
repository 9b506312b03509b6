package io.tapio.cli;

import io.tapio.history.HistoryConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the history is: the options every history command shares. */
final class HistoryOptions {
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    DataDir.DESCRIPTION
                            + " The history is the Hadoop catalog in DIR/warehouse unless DIR/catalog.properties says otherwise.")
    Path dataDir;

    @Option(
            names = "--catalog",
            paramLabel = "FILE",
            description =
                    "Iceberg catalog properties (as Flink SQL's "
                            + "CREATE CATALOG options: catalog-type=hadoop|hive|rest or catalog-impl=..., warehouse, uri, io-impl, ...).")
    Path catalogProperties;

    Path dataDir() {
        return DataDir.orDefault(dataDir);
    }

    HistoryConfig config() {
        return HistoryConfig.load(dataDir(), catalogProperties);
    }
}
