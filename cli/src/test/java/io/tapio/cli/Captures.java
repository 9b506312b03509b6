package io.tapio.cli;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.CaptureWriter;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** Complete captures, as {@code tapio record} writes them, of synthetic events. */
final class Captures {
    private Captures() {}

    /**
     * Writes {@code span} of synthetic events at {@code eventsPerSecond} (their kernel
     * timestamps span it, so a replay at recorded speed takes that long).
     *
     * @return how many events it holds
     */
    static long synthetic(Path file, Duration span, long eventsPerSecond) throws IOException {
        SyntheticEventGenerator events = new SyntheticEventGenerator(
                SyntheticConfig.builder()
                        .seed(1)
                        .eventsPerSecond(eventsPerSecond)
                        .build(),
                0);
        long count = 0;
        try (CaptureWriter writer = CaptureWriter.create(file, "node-a")) {
            for (KernelEvent event : events.next(span.toNanos())) {
                writer.write(event);
                count++;
            }
        }
        return count;
    }

    /** A capture of a second of synthetic events whose last 7 bytes are cut off, in {@code dir}. */
    static Path truncated(Path dir) throws IOException {
        Path whole = dir.resolve("whole.tcap");
        synthetic(whole, Duration.ofSeconds(1), 2_000);
        byte[] bytes = Files.readAllBytes(whole);
        return Files.write(dir.resolve("truncated.tcap"), Arrays.copyOf(bytes, bytes.length - 7));
    }
}
