package io.tapio.cli;

import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.MissingRequirementException;
import io.tapio.ebpf.collector.Preflight;
import io.tapio.ebpf.libbpf.MissingLibbpfException;
import io.tapio.ebpf.synthetic.InjectedFault;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.Workload;
import io.tapio.job.SourceSpec;
import io.tapio.kafka.KafkaOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that choose and shape the job's source, shared by the commands that run the job. */
final class SourceOption {
    @Option(
            names = "--source",
            defaultValue = "auto",
            paramLabel = "ebpf|synthetic|replay:FILE|kafka",
            description = "Where events come from (default: ebpf where this machine allows it); kafka: node agents' "
                    + "batches (tapio agent).")
    String source;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(
            names = "--ring-mib",
            defaultValue = "32",
            description = "Kernel ring buffer size, a power of two (default: ${DEFAULT-VALUE} MiB).")
    int ringMib;

    @Option(
            names = "--synthetic-rate",
            defaultValue = "10000",
            description = "Synthetic events per second (default: ${DEFAULT-VALUE}).")
    long syntheticRate;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the synthetic source (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--inject",
            split = ",",
            paramLabel = "FAULT",
            description =
                    "Faults the synthetic source injects: oom-loop, crash-loop, refused-connections, missing-file.")
    List<String> inject = List.of();

    @Option(
            names = "--recorded-speed",
            description = "Replay a capture at the speed it was recorded (default: as fast as possible).")
    boolean recordedSpeed;

    SourceSpec resolve() {
        if (source.startsWith("replay:")) {
            Path file = Path.of(source.substring("replay:".length()));
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read the capture " + file);
            }
            return new SourceSpec.Replay(file, recordedSpeed);
        }
        return switch (source) {
            case "ebpf" -> new SourceSpec.Ebpf(collector());
            case "synthetic" -> new SourceSpec.Synthetic(synthetic(), Long.MAX_VALUE, true);
            case "kafka" -> kafka.spec();
            case "auto" -> {
                try {
                    Preflight.checkKernelBtf();
                    Preflight.checkPrivileges();
                    Preflight.checkLibbpf();
                } catch (MissingRequirementException | MissingLibbpfException e) {
                    throw new MissingRequirementException("cannot read this machine's kernel: " + e.getMessage());
                }
                yield new SourceSpec.Ebpf(collector());
            }
            default ->
                throw new IllegalArgumentException(
                        "unknown source '" + source + "': use ebpf, synthetic, replay:FILE or kafka");
        };
    }

    private CollectorConfig collector() {
        return CollectorConfig.builder().ringBufferBytes(ringMib << 20).build();
    }

    private SyntheticConfig synthetic() {
        SyntheticConfig.Builder builder = SyntheticConfig.builder().seed(seed).eventsPerSecond(syntheticRate);
        for (String fault : inject) {
            builder.fault(fault(fault.trim()));
        }
        return builder.build();
    }

    /** The faults of the demo: each in a workload of its own, repeating. */
    static InjectedFault fault(String name) {
        return switch (name) {
            case "oom-loop" ->
                new InjectedFault.OomLoop(
                        new Workload(20_001, "payments"), Duration.ofSeconds(20), Duration.ofSeconds(2), 256L << 20);
            case "crash-loop" ->
                new InjectedFault.CrashLoop(
                        new Workload(20_002, "checkout"), Duration.ofSeconds(10), Duration.ofSeconds(3), 1);
            case "refused-connections" ->
                new InjectedFault.RefusedConnections(
                        new Workload(20_003, "frontend"),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        new InetSocketAddress("127.0.0.1", 5432));
            case "missing-file" ->
                new InjectedFault.MissingFile(
                        new Workload(20_004, "api"),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(1),
                        "/etc/config/app.yaml");
            default ->
                throw new IllegalArgumentException(
                        "unknown fault '" + name + "': use oom-loop, crash-loop, refused-connections or missing-file");
        };
    }
}
