package io.tapio.local;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.export.FindingExports;
import io.tapio.history.HistoryConfig;
import io.tapio.job.SourceSpec;
import io.tapio.rollup.RegressionConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code tapio run} runs.
 *
 * @param duration how long to run; null for until stopped
 * @param profile a Java Flight Recorder file to write; null for none
 * @param statusPort the loopback port {@code tapio check} reads the running instance from
 * @param history the Iceberg catalog the job keeps its history in; null for none
 * @param exports where findings go besides the history (Kubernetes Events, OTLP)
 * @param fresh start over instead of resuming the data directory's last checkpoint
 */
public record RunOptions(
        SourceSpec source,
        Duration duration,
        Path dataDir,
        int uiPort,
        int metricsPort,
        int statusPort,
        Path profile,
        Duration checkpointInterval,
        CorrelationConfig correlation,
        RegressionConfig regression,
        HistoryConfig history,
        FindingExports exports,
        boolean fresh) {
    /**
     * A run of {@code source} on {@code dataDir} as a program starts one (a benchmark, a test):
     * until stopped, every port chosen by the system, a checkpoint every 10 s, the default
     * correlation and regression rules, no history, no exports, resuming the data directory.
     */
    public static RunOptions unattended(SourceSpec source, Path dataDir) {
        return new RunOptions(
                source,
                null,
                dataDir,
                0,
                0,
                0,
                null,
                Duration.ofSeconds(10),
                CorrelationConfig.defaults(),
                RegressionConfig.defaults(),
                null,
                FindingExports.NONE,
                false);
    }
}
