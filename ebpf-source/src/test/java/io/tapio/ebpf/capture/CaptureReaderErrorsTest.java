package io.tapio.ebpf.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventHeader;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.CaptureFormatException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureReaderErrorsTest {
    private static final String NODE = "node-a";
    /** Magic 8, versions 2+2, start times 8+8, node length 2, node, CRC 4. */
    private static final int HEADER = 34 + NODE.length();
    /** Length and its complement 4, record, CRC 4. */
    private static final int FRAME = 4 + TestRecords.RUNQ_LATENCY_SIZE + 4;
    /** Length and its complement 4, count 8, CRC 4. */
    private static final int END = 16;

    private static final int EVENTS = 3;

    @TempDir
    Path dir;

    /** The events read before the reader failed, and how it failed. */
    private record Failure(int eventsRead, CaptureFormatException exception) {
        void assertIs(Reason reason, long offset, String... messageParts) {
            assertEquals(reason, exception.reason(), exception.getMessage());
            assertEquals(offset, exception.offset(), exception.getMessage());
            assertEquals(eventsRead, exception.recordsRead(), exception.getMessage());
            for (String part : messageParts) {
                assertTrue(
                        exception.getMessage().contains(part),
                        () -> "\"" + part + "\" not in: " + exception.getMessage());
            }
        }
    }

    @Test
    void sanityCheckOfTheOffsetsTheseTestsUse() throws Exception {
        assertEquals(HEADER + EVENTS * FRAME + END, capture().length);
    }

    @Test
    void anEmptyFileIsNotACapture() throws Exception {
        read(new byte[0]).assertIs(Reason.NOT_A_CAPTURE, 0, "is empty, not a Tapio capture");
    }

    @Test
    void aForeignFileIsNamedAsSuch() throws Exception {
        Path file = file("{\"hello\": \"world\"}\n".getBytes(StandardCharsets.US_ASCII));
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(file));
        assertEquals(Reason.NOT_A_CAPTURE, e.reason());
        assertEquals(
                file + " is not a Tapio capture (it starts with 7b 22 68 65 6c 6c 6f 22 \"{\"hello\"\")",
                e.getMessage());
    }

    @Test
    void aShortForeignFileIsNotACaptureRatherThanTruncated() throws Exception {
        read(new byte[] {0x7f, 'E'}).assertIs(Reason.NOT_A_CAPTURE, 0, "it starts with 7f 45 \".E\"");
    }

    @Test
    void aCutInTheHeaderSaysSo() throws Exception {
        byte[] capture = capture();
        for (int cut : new int[] {3, 8, 9, 12, 25, HEADER - 5, HEADER - 1}) {
            read(Arrays.copyOf(capture, cut))
                    .assertIs(Reason.TRUNCATED, cut, "is truncated at byte " + cut + ", inside its capture header");
        }
    }

    @Test
    void aCutRightAfterTheHeaderIsAMissingEnd() throws Exception {
        read(Arrays.copyOf(capture(), HEADER))
                .assertIs(
                        Reason.TRUNCATED,
                        HEADER,
                        "is truncated at byte " + HEADER + ": the end-of-capture marker is missing",
                        "after 0 good records");
    }

    @Test
    void aCutBetweenRecordsIsAMissingEndAfterTheGoodRecords() throws Exception {
        int cut = HEADER + 2 * FRAME;
        Failure failure = read(Arrays.copyOf(capture(), cut));
        assertEquals(2, failure.eventsRead());
        failure.assertIs(
                Reason.TRUNCATED,
                cut,
                "is truncated at byte " + cut + ": the end-of-capture marker is missing",
                "after 2 good records");
    }

    @Test
    void aCutInsideARecordIsNeverAShortRecord() throws Exception {
        byte[] capture = capture();
        int start = HEADER + FRAME;
        for (int into : new int[] {1, 3, 4, 30, FRAME - 4, FRAME - 1}) {
            int cut = start + into;
            Failure failure = read(Arrays.copyOf(capture, cut));
            assertEquals(1, failure.eventsRead());
            failure.assertIs(
                    Reason.TRUNCATED,
                    cut,
                    "is truncated at byte " + cut + ": the record starting at byte " + start
                            + " is cut short (after 1 good record)");
        }
    }

    @Test
    void aCutInsideTheEndMarkerSaysSo() throws Exception {
        int start = HEADER + EVENTS * FRAME;
        read(Arrays.copyOf(capture(), start + 5))
                .assertIs(
                        Reason.TRUNCATED,
                        start + 5,
                        "the end-of-capture marker starting at byte " + start + " is cut short",
                        "after 3 good records");
    }

    @Test
    void aFlippedBitInARecordFailsItsChecksum() throws Exception {
        byte[] capture = capture();
        int start = HEADER + FRAME;
        for (int at = start + 4; at < start + FRAME; at++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = capture.clone();
                damaged[at] ^= (byte) (1 << bit);
                read(damaged)
                        .assertIs(
                                Reason.CORRUPT,
                                start,
                                "is corrupt at byte " + start
                                        + ": the record there fails its CRC32C check (after 1 good record)");
            }
        }
    }

    @Test
    void aFlippedBitInALengthIsCaughtBeforeItIsFollowed() throws Exception {
        byte[] capture = capture();
        int end = HEADER + EVENTS * FRAME;
        for (int at : new int[] {HEADER + FRAME, HEADER + FRAME + 1, HEADER + FRAME + 3, end, end + 1}) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = capture.clone();
                damaged[at] ^= (byte) (1 << bit);
                int frame = at < end ? HEADER + FRAME : end;
                read(damaged)
                        .assertIs(
                                Reason.CORRUPT,
                                frame,
                                "is corrupt at byte " + frame + ": the length of the record there is damaged");
            }
        }
    }

    @Test
    void aFlippedBitAnywhereAfterTheHeaderIsNeverReadSilently() throws Exception {
        byte[] capture = capture();
        for (int at = HEADER; at < capture.length; at++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = capture.clone();
                damaged[at] ^= (byte) (1 << bit);
                Failure failure = read(damaged);
                assertEquals(
                        Reason.CORRUPT,
                        failure.exception().reason(),
                        failure.exception().getMessage());
            }
        }
    }

    @Test
    void aFlippedBitInTheHeaderFailsItsChecksum() throws Exception {
        byte[] damaged = capture();
        damaged[HEADER - 6] ^= 0x20;
        read(damaged)
                .assertIs(
                        Reason.CORRUPT, 0, "its capture header (bytes 0-" + (HEADER - 1) + ") fails its CRC32C check");
    }

    @Test
    void aValidChecksumOverAMalformedRecordIsCorruption() throws Exception {
        byte[] damaged = capture();
        int start = HEADER;
        damaged[start + 4] ^= 0x01; // the record's ABI magic
        CRC32C crc = new CRC32C();
        crc.update(damaged, start, FRAME - 4);
        ByteBuffer.wrap(damaged).putInt(start + FRAME - 4, (int) crc.getValue());
        read(damaged).assertIs(Reason.CORRUPT, start, "passes its checksum but is not a Tapio event record (BAD_MAGIC");
    }

    @Test
    void aMissingRecordIsCaughtByTheEndCount() throws Exception {
        byte[] capture = capture();
        byte[] gap = new byte[capture.length - FRAME];
        System.arraycopy(capture, 0, gap, 0, HEADER + FRAME);
        System.arraycopy(capture, HEADER + 2 * FRAME, gap, HEADER + FRAME, capture.length - HEADER - 2 * FRAME);
        read(gap)
                .assertIs(
                        Reason.CORRUPT,
                        HEADER + 2 * FRAME,
                        "the end-of-capture marker there counts 3 records, but 2 precede it");
    }

    @Test
    void dataAfterTheEndIsCorruption() throws Exception {
        byte[] capture = capture();
        byte[] extended = Arrays.copyOf(capture, capture.length + 1);
        read(extended).assertIs(Reason.CORRUPT, capture.length, "data follows the end-of-capture marker");
    }

    @Test
    void aNewerFormatVersionIsRefusedNamingBothVersions() throws Exception {
        byte[] newer = capture();
        ByteBuffer.wrap(newer).putShort(8, (short) 2);
        Path file = file(newer);
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(file));
        assertEquals(Reason.UNSUPPORTED_VERSION, e.reason());
        assertEquals(
                file + " is in capture format version 2, but this Tapio reads capture format version 1 only:"
                        + " read it with a newer Tapio",
                e.getMessage());
    }

    @Test
    void anotherAbiVersionIsRefusedNamingBothVersions() throws Exception {
        byte[] other = capture();
        ByteBuffer header = ByteBuffer.wrap(other);
        header.putShort(10, (short) (EventHeader.ABI_VERSION + 1));
        CRC32C crc = new CRC32C();
        crc.update(other, 0, HEADER - 4);
        header.putInt(HEADER - 4, (int) crc.getValue());
        read(other)
                .assertIs(
                        Reason.UNSUPPORTED_VERSION,
                        10,
                        "is in event ABI version " + (EventHeader.ABI_VERSION + 1)
                                + ", but this Tapio reads event ABI version " + EventHeader.ABI_VERSION + " only");
    }

    /** A complete capture of {@link #EVENTS} events. */
    private byte[] capture() throws IOException {
        Path file = dir.resolve("complete.tapio");
        try (CaptureWriter writer = CaptureWriter.create(file, NODE, 1_700_000_000_000_000_000L, 1_000L)) {
            for (int i = 0; i < EVENTS; i++) {
                writer.write(TestRecords.runqLatency(2_000L + i, 300 + i, "app", 5_000_000L));
            }
        }
        return Files.readAllBytes(file);
    }

    private Path file(byte[] content) throws IOException {
        return Files.write(Files.createTempFile(dir, "capture", ".tapio"), content);
    }

    /** Reads a file with this content to the end, which must be a failure. */
    private Failure read(byte[] content) throws IOException {
        Path file = file(content);
        int[] events = {0};
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> {
            try (CaptureReader reader = CaptureReader.open(file)) {
                for (KernelEvent event = reader.next(); event != null; event = reader.next()) {
                    events[0]++;
                }
            }
        });
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return new Failure(events[0], e);
    }
}
