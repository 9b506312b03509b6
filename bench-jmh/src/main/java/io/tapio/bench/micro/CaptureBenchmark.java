package io.tapio.bench.micro;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.CaptureReader;
import io.tapio.ebpf.capture.CaptureWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The capture files' codec, per event: {@code tapio record} writing an event (to /dev/null, so
 * that the disk is not measured) and the replay source reading one (from a capture in memory,
 * opened again after its last event).
 */
@State(Scope.Thread)
public class CaptureBenchmark {
    private KernelEvent[] events;
    private byte[] capture;
    private CaptureWriter writer;
    private CaptureReader reader;
    private int next;

    @Setup(Level.Trial)
    public void record() throws IOException {
        try (SyntheticNode node = SyntheticNode.create()) {
            events = node.events();
        }
        Path file = Files.createTempFile("tapio-micro", ".tapiocap");
        try {
            try (CaptureWriter all = CaptureWriter.create(file, SyntheticNode.NODE)) {
                for (KernelEvent event : events) {
                    all.write(event);
                }
            }
            capture = Files.readAllBytes(file);
        } finally {
            Files.delete(file);
        }
        writer = CaptureWriter.create(Path.of("/dev/null"), SyntheticNode.NODE);
        reader = open();
    }

    private CaptureReader open() throws IOException {
        return CaptureReader.open(new ByteArrayInputStream(capture), "the benchmark's capture");
    }

    @Benchmark
    public void write() throws IOException {
        writer.write(events[next]);
        next = (next + 1) & (SyntheticNode.EVENTS - 1);
    }

    @Benchmark
    public KernelEvent read() throws IOException {
        KernelEvent event = reader.next();
        if (event == null) {
            reader.close();
            reader = open();
            event = reader.next();
        }
        return event;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        writer.close();
        reader.close();
    }
}
