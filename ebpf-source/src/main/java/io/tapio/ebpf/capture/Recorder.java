package io.tapio.ebpf.capture;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.collector.KernelStats;
import io.tapio.ebpf.ring.RingBufferReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Records what the kernel programs deliver into a capture file, for a while or until told to
 * stop, counting what was lost on the way.
 */
public final class Recorder {
    private static final Duration POLL = Duration.ofMillis(10);
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    /**
     * What a recording holds and missed.
     *
     * @param records events written
     * @param lostInRing events the kernel lost because the ring was full
     * @param malformed records skipped as malformed
     */
    public record Result(long records, long lostInRing, long malformed, Duration elapsed) {}

    private Recorder() {}

    /**
     * Records until {@code duration} has passed or {@code stop} says so, reporting progress
     * about once a second. The file is complete (end marker written) when this returns.
     */
    public static Result record(
            CollectorConfig config,
            Path out,
            String node,
            Duration duration,
            BooleanSupplier stop,
            Consumer<Result> progress)
            throws IOException {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (KernelCollector collector = KernelCollector.open(config);
                CaptureWriter writer = CaptureWriter.create(out, node)) {
            RingBufferReader reader = collector.reader();
            KernelStats before = collector.kernelStats();
            long lastProgress = start;
            while (System.nanoTime() < deadline && !stop.getAsBoolean()) {
                reader.poll(
                        (ring, offset, length) -> write(writer, KernelEvent.copyOf(ring, offset, length)),
                        65_536,
                        POLL);
                if (System.nanoTime() - lastProgress > PROGRESS_EVERY_NANOS) {
                    progress.accept(result(writer, collector, before, start));
                    lastProgress = System.nanoTime();
                }
            }
            while (reader.drain(
                            (ring, offset, length) -> write(writer, KernelEvent.copyOf(ring, offset, length)), 65_536)
                    > 0) {
                // what the kernel wrote before the programs stop
            }
            return result(writer, collector, before, start);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Result result(CaptureWriter writer, KernelCollector collector, KernelStats before, long start) {
        return new Result(
                writer.recordsWritten(),
                collector.kernelStats().since(before).lost(),
                collector.reader().stats().malformedTotal(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static void write(CaptureWriter writer, KernelEvent event) {
        try {
            writer.write(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
