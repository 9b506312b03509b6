package io.tapio.cli;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.CaptureWriter;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

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
}
