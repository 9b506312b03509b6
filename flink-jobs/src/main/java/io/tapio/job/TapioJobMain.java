package io.tapio.job;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.metrics.MetricsExport;
import io.tapio.export.EventsConfig;
import io.tapio.history.HistoryConfig;
import io.tapio.rollup.RegressionConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The streaming job's entry point on a Flink cluster (application mode, a FlinkDeployment's
 * {@code job.entryClass}): every TaskManager reads its own node's kernel and serves its
 * metrics. Flink's own configuration (checkpoints, state, restarts) comes from the cluster; the
 * history goes to the Iceberg catalog {@code --catalog} names, committed at each checkpoint.
 * Findings become Kubernetes Events on their pods (the TaskManagers run in pods with a service
 * account) and, with an endpoint, OTLP log records.
 */
@Command(name = "tapio-job", mixinStandardHelpOptions = true, description = "Tapio's streaming job on a Flink cluster.")
public final class TapioJobMain implements Callable<Integer> {
    @Option(
            names = "--metrics-port",
            defaultValue = "9464-9474",
            description = "Each TaskManager serves Tapio's metrics on the first free port of this range "
                    + "(default: ${DEFAULT-VALUE}).")
    String metricsPort;

    @Option(
            names = "--source",
            defaultValue = "ebpf",
            paramLabel = "ebpf|kafka",
            description = "ebpf: every TaskManager reads its own node's kernel; kafka: node agents' batches "
                    + "(tapio agent on every node) from --bootstrap-servers (default: ${DEFAULT-VALUE}).")
    String source;

    @Mixin
    MetricsBindOption metricsBind = new MetricsBindOption();

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    ExportOptions exports = new ExportOptions();

    @Option(
            names = "--catalog",
            paramLabel = "FILE",
            description = "Iceberg catalog properties for the history (as Flink SQL's CREATE CATALOG options); "
                    + "without it the job keeps no history.")
    Path catalog;

    public static void main(String[] args) {
        int exit = new CommandLine(new TapioJobMain()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SourceSpec spec = switch (source) {
            case "ebpf" -> new SourceSpec.Ebpf(CollectorConfig.defaults());
            case "kafka" -> kafka.spec();
            default -> throw new IllegalArgumentException("unknown source '" + source + "': use ebpf or kafka");
        };
        TapioJob.Outputs outputs = TapioJob.define(
                env,
                spec,
                CorrelationConfig.defaults(),
                RegressionConfig.defaults(),
                new MetricsExport(metricsBind.bind(), metricsPort));
        if (catalog != null) {
            // The tables are created here, on the JobManager; the tasks get the catalog's properties.
            outputs.writeHistory(HistoryConfig.load(catalog.getParent(), catalog));
        }
        outputs.exportFindings(exports.exports(EventsConfig.Mode.AUTO));
        env.execute(TapioJob.NAME);
        return 0;
    }
}
