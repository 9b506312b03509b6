package io.tapio.cli;

import io.tapio.ebpf.capture.Recorder;
import io.tapio.ebpf.node.NodeName;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tapio record}: raw kernel records to a capture file, for replay later. */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        description = {
            "Records what the kernel programs deliver to a capture file (root; real BPF programs).",
            "Replay it with: ./tapio run --source replay:FILE. Ctrl-C stops early and keeps a complete file."
        })
final class RecordCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RingOption ring = new RingOption();

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "The capture file to write (replaced if it exists).")
    Path out;

    @Option(
            names = "--duration",
            defaultValue = "10s",
            converter = DurationConverter.class,
            paramLabel = "D",
            description = "How long to record (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        // Ctrl-C stops the recording and waits for the file to be complete.
        try (CtrlC ctrlC = new CtrlC("record")) {
            console.printf("recording to %s for %s (Ctrl-C stops early)%n", out, duration);
            console.flush();
            Recorder.Result result = Recorder.record(
                    ring.collector().build(), out, NodeName.local(), duration, ctrlC::requested, progress -> {
                        console.printf(
                                "  %,d events, %,d lost, %d malformed, %ds%n",
                                progress.records(),
                                progress.lostInRing(),
                                progress.malformed(),
                                progress.elapsed().toSeconds());
                        console.flush();
                    });
            console.printf(
                    "recorded %,d events to %s in %.1f s (%,d lost in the ring, %d malformed)%n",
                    result.records(),
                    out,
                    result.elapsed().toMillis() / 1000.0,
                    result.lostInRing(),
                    result.malformed());
            console.flush();
            return 0;
        }
    }
}
