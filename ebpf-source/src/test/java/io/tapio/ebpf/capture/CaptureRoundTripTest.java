package io.tapio.ebpf.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tapio.ebpf.abi.EventHeader;
import io.tapio.ebpf.abi.KernelEvent;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void readsBackEveryEventAndTheHeader() throws Exception {
        Path file = dir.resolve("many.tapio");
        List<KernelEvent> written = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            written.add(TestRecords.runqLatency(1_000_000_000L + 1_000L * i, 100 + i % 50, "worker-" + i % 7, i));
        }
        try (CaptureWriter writer = CaptureWriter.create(file, "nœud-7", 1_700_000_000_123_456_789L, 999_000L)) {
            for (KernelEvent event : written) {
                writer.write(event);
            }
            assertEquals(written.size(), writer.recordsWritten());
        }

        try (CaptureReader reader = CaptureReader.open(file)) {
            assertEquals(
                    new CaptureHeader(1, EventHeader.ABI_VERSION, "nœud-7", 1_700_000_000_123_456_789L, 999_000L),
                    reader.header());
            List<KernelEvent> read = new ArrayList<>();
            for (KernelEvent event = reader.next(); event != null; event = reader.next()) {
                read.add(event);
            }
            assertEquals(written, read);
            assertEquals(written.size(), reader.recordsRead());
            assertNull(reader.next());
        }
    }

    @Test
    void readsTheSameEventsFromAStreamThatHandsOverAFewBytesAtATime() throws Exception {
        Path file = dir.resolve("trickled.tapio");
        List<KernelEvent> written = new ArrayList<>();
        try (CaptureWriter writer = CaptureWriter.create(file, "node-a")) {
            for (int i = 0; i < 5_000; i++) {
                KernelEvent event = TestRecords.runqLatency(1_000L * i, 100 + i % 50, "w" + "x".repeat(i % 15), i);
                writer.write(event);
                written.add(event);
            }
        }
        // As a pipe or a socket may: never more than 7 bytes a read, so records, lengths and
        // checksums all straddle reads.
        InputStream trickle = new FilterInputStream(Files.newInputStream(file)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        try (CaptureReader reader = CaptureReader.open(trickle, "a trickle")) {
            List<KernelEvent> read = new ArrayList<>();
            for (KernelEvent event = reader.next(); event != null; event = reader.next()) {
                read.add(event);
            }
            assertEquals(written, read);
            assertEquals(Files.size(file), reader.offset());
        }
    }

    @Test
    void aCaptureWithoutEventsReadsAsZeroEvents() throws Exception {
        Path file = dir.resolve("empty.tapio");
        CaptureWriter.create(file, "node-a").close();

        try (CaptureReader reader = CaptureReader.open(file)) {
            assertEquals("node-a", reader.header().node());
            assertNull(reader.next());
            assertEquals(0, reader.recordsRead());
        }
    }

    @Test
    void startTimesComeFromBothClocks() throws Exception {
        long before = System.nanoTime();
        long wallBefore = System.currentTimeMillis() * 1_000_000L;
        try (CaptureWriter writer = CaptureWriter.create(dir.resolve("now.tapio"), "node-a")) {
            CaptureHeader header = writer.header();
            assertBetween(before, header.startMonotonicNs(), System.nanoTime());
            assertBetween(
                    wallBefore - 1_000_000L,
                    header.startEpochNs(),
                    System.currentTimeMillis() * 1_000_000L + 1_000_000L);
        }
    }

    @Test
    void mapsKernelTimestampsToWallClock() {
        CaptureHeader header = new CaptureHeader(1, 1, "n", 1_700_000_000_000_000_000L, 5_000L);
        assertEquals(1_700_000_000_000_002_500L, header.epochNanosOf(7_500L));
        assertEquals(1_699_999_999_999_999_000L, header.epochNanosOf(4_000L));
    }

    @Test
    void refusesANodeNameTooLongForTheHeader() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CaptureWriter.create(dir.resolve("long.tapio"), "n".repeat(70_000), 0, 0));
    }

    @Test
    void refusesEventsAfterClose() throws Exception {
        CaptureWriter writer = CaptureWriter.create(dir.resolve("closed.tapio"), "node-a");
        writer.close();
        assertThrows(IllegalStateException.class, () -> writer.write(TestRecords.runqLatency(1, 2, "x", 3)));
    }

    private static void assertBetween(long low, long value, long high) {
        if (value < low || value > high) {
            throw new AssertionError(value + " is not within [" + low + ", " + high + "]");
        }
    }
}
