package io.tapio.cli;

import io.tapio.ebpf.capture.CaptureFormatException;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.MissingRequirementException;
import io.tapio.ebpf.collector.Preflight;
import io.tapio.ebpf.libbpf.MissingLibbpfException;
import io.tapio.ebpf.synthetic.DemoFaults;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.job.KafkaOptions;
import io.tapio.job.SourceSpec;
import java.io.IOException;
import java.nio.file.Path;
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

    @Mixin
    RingOption ring = new RingOption();

    @Mixin
    RingReaderOptions ringReader = new RingReaderOptions();

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
            names = "--replay-speed",
            defaultValue = "max",
            paramLabel = "max|FACTORx",
            converter = ReplaySpeedConverter.class,
            description = "How fast a capture is replayed: max (as fast as the job takes it, the default), or a "
                    + "multiple of the speed it was recorded: 1x as recorded, 60x an hour in a minute.")
    double replaySpeed;

    /**
     * @throws CaptureFormatException a replayed capture that is truncated, corrupt or not a
     *     capture: refused before the job starts
     */
    SourceSpec resolve() throws IOException {
        if (source.startsWith("replay:")) {
            Path file = Path.of(source.substring("replay:".length()));
            CaptureFiles.verify(file);
            return new SourceSpec.Replay(file, replaySpeed);
        }
        return switch (source) {
            case "ebpf", "auto" -> {
                // Refused here, with exit status 2, rather than by a job that fails at each restart.
                try {
                    Preflight.checkMachine();
                } catch (MissingRequirementException | MissingLibbpfException e) {
                    throw new MissingRequirementException("cannot read this machine's kernel: " + e.getMessage());
                }
                yield new SourceSpec.Ebpf(collector(), ringReader.coalescing(), ringReader.slice);
            }
            case "synthetic" -> new SourceSpec.Synthetic(synthetic(), Long.MAX_VALUE, true);
            case "kafka" -> kafka.spec();
            default ->
                throw new IllegalArgumentException(
                        "unknown source '" + source + "': use ebpf, synthetic, replay:FILE or kafka");
        };
    }

    private CollectorConfig collector() {
        return ring.collector().build();
    }

    private SyntheticConfig synthetic() {
        SyntheticConfig.Builder builder = SyntheticConfig.builder().seed(seed).eventsPerSecond(syntheticRate);
        for (String fault : inject) {
            builder.fault(DemoFaults.named(fault.trim()));
        }
        return builder.build();
    }
}
