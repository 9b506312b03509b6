package io.tapio.ebpf.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventHeader;
import io.tapio.ebpf.abi.FuzzedRecords;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.testing.Fuzz;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The capture reader, its header included, fuzzed ({@link Fuzz}; README, "Building and testing
 * by hand", for the long run): a capture made of random parts under correct checksums (so that
 * the reader gets past them to the records and the counts), then often damaged (cut, bytes
 * flipped or inserted, a length rewritten with its complement). The reader returns events or
 * ends with a {@link CaptureFormatException}, nothing else; every call reads at least the
 * four bytes of a frame's length, so that it cannot go round without reaching the end; and a
 * capture allocates the reader's buffer and one record of at most 64 KiB, never what a length
 * inside claims beyond that.
 */
class CaptureReaderFuzzTest {
    @Test
    void aCaptureIsReadWholeOrRefusedWithWhatIsWrongAndWhere() {
        Fuzz.ofBytes("captures", CaptureReaderFuzzTest::capture)
                .allocatingAtMost(file -> 256 * 1024 + 32L * file.length)
                .reaching(List.of("complete", "NOT_A_CAPTURE", "UNSUPPORTED_VERSION", "TRUNCATED", "CORRUPT"))
                .check(CaptureReaderFuzzTest::read);
    }

    /** Reads the capture as a replay does; returns "complete" or the reason it was refused. */
    private static String read(byte[] file) {
        int calls = 0;
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file), "fuzzed")) {
            for (KernelEvent event = reader.next(); event != null; event = reader.next()) {
                calls++;
                event.payload();
                assertTrue(4L * calls <= file.length, "more events than frames fit in " + file.length + " bytes");
            }
            assertEquals(file.length, reader.offset(), "a complete capture is read to its last byte");
            return "complete";
        } catch (CaptureFormatException refused) {
            assertTrue(refused.offset() >= 0 && refused.offset() <= file.length, refused::getMessage);
            assertTrue(refused.getMessage().startsWith("fuzzed "), refused::getMessage);
            return refused.reason().name();
        } catch (IOException e) {
            throw new UncheckedIOException("only a CaptureFormatException may come from bytes in memory", e);
        }
    }

    /** A capture of random parts under correct checksums, damaged three times in four. */
    private static byte[] capture(SplittableRandom random) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.write(random.nextInt(16) == 0 ? FuzzedRecords.bytes(random, 8) : CaptureFormat.MAGIC);
            out.writeShort(random.nextInt(16) == 0 ? random.nextInt(0x10000) : CaptureFormat.VERSION);
            out.writeShort(random.nextInt(16) == 0 ? random.nextInt(0x10000) : EventHeader.ABI_VERSION);
            out.writeLong(random.nextLong());
            out.writeLong(random.nextLong());
            byte[] node = FuzzedRecords.bytes(random, random.nextInt(64));
            out.writeShort(node.length);
            out.write(node);
            out.writeInt(crc(bytes.toByteArray(), 0, bytes.size()));
            int records = random.nextInt(8);
            for (int i = 0; i < records; i++) {
                byte[] record =
                        random.nextInt(4) == 0 ? FuzzedRecords.misframed(random) : FuzzedRecords.wellFramed(random);
                int start = bytes.size();
                out.writeShort(record.length);
                out.writeShort(~record.length);
                out.write(record);
                out.writeInt(crc(bytes.toByteArray(), start, bytes.size() - start));
            }
            int end = bytes.size();
            out.writeShort(CaptureFormat.END_MARKER);
            out.writeShort(0xFFFF);
            out.writeLong(random.nextInt(8) == 0 ? random.nextLong() : records);
            out.writeInt(crc(bytes.toByteArray(), end, bytes.size() - end));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return damage(bytes.toByteArray(), random);
    }

    /** {@link Fuzz#damage}, or a frame's length rewritten with a matching complement, which the reader believes. */
    private static byte[] damage(byte[] file, SplittableRandom random) {
        if (random.nextInt(5) > 0 || file.length < 4) {
            return Fuzz.damage(file, random);
        }
        int at = random.nextInt(file.length - 3);
        int length = random.nextInt(0x10000);
        file[at] = (byte) (length >>> 8);
        file[at + 1] = (byte) length;
        file[at + 2] = (byte) ~(length >>> 8);
        file[at + 3] = (byte) ~length;
        return file;
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
