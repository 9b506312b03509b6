package io.tapio.ebpf.capture;

import io.tapio.ebpf.abi.EventHeader;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.MalformedRecordException;
import io.tapio.ebpf.capture.CaptureFormatException.Reason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads the events of a capture file (layout in {@link CaptureFormat}) in the order they were
 * written. Everything it returns has passed its checksum; anything else in the file ends the
 * reading with a {@link CaptureFormatException} that says what and where. Not thread-safe.
 */
public final class CaptureReader implements AutoCloseable {
    private static final int BUFFER_SIZE = 1 << 16;

    private final String source;
    private final InputStream in;
    private final CRC32C checksum = new CRC32C();
    private final byte[] scratch = new byte[Long.BYTES];
    private final ByteBuffer scratchView = ByteBuffer.wrap(scratch);
    /**
     * Each record is read here, then copied into its event: one array an event, and the
     * validation reads this one segment rather than one made for each record.
     */
    private final byte[] recordBuffer = new byte[0xFFFF]; // as long as a record's 16-bit length allows

    private final MemorySegment recordView = MemorySegment.ofArray(recordBuffer);
    private final CaptureHeader header;
    private long offset;
    private long recordsRead;
    private boolean ended;

    private CaptureReader(InputStream in, String source) throws IOException {
        this.in = in;
        this.source = source;
        this.header = readHeader();
    }

    public static CaptureReader open(Path file) throws IOException {
        return open(Files.newInputStream(file), file.toString());
    }

    /**
     * Reads a capture from a stream, which it closes when closed.
     *
     * @param source how error messages name the capture, such as its path
     * @throws CaptureFormatException when the stream does not start with a header this Tapio reads
     */
    public static CaptureReader open(InputStream in, String source) throws IOException {
        try {
            return new CaptureReader(new BufferedInputStream(in, BUFFER_SIZE), source);
        } catch (IOException | RuntimeException e) {
            try {
                in.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Reads a whole capture, its header and every checksum, so that a bad file is refused
     * before a job starts rather than failing the job that replays it.
     *
     * @return how many events the capture holds
     * @throws CaptureFormatException what is wrong with the file, and where
     */
    public static long verify(Path file) throws IOException {
        try (CaptureReader reader = open(file)) {
            while (reader.next() != null) {
                // Reading is the check.
            }
            return reader.recordsRead();
        }
    }

    public CaptureHeader header() {
        return header;
    }

    /**
     * The next event, or {@code null} after the last one of a complete capture.
     *
     * @throws CaptureFormatException when the file is truncated or corrupt at this point; the
     *     reader is then only to be closed
     */
    public KernelEvent next() throws IOException {
        if (ended) {
            return null;
        }
        long start = offset;
        checksum.reset();
        if (!fill(scratch, 2 * Short.BYTES)) {
            throw offset == start
                    ? truncated("the end-of-capture marker is missing, so the recording was cut short")
                    : cutShort("record", start);
        }
        int length = Short.toUnsignedInt(scratchView.getShort(0));
        if (Short.toUnsignedInt((short) ~scratchView.getShort(2)) != length) {
            throw corrupt(start, "the length of the record there is damaged");
        }
        if (length == CaptureFormat.END_MARKER) {
            readEnd(start);
            return null;
        }
        if (!fill(recordBuffer, length)) {
            throw cutShort("record", start);
        }
        verifyChecksum("record", start);
        try {
            KernelEvent event = KernelEvent.copyOf(recordView, 0, length);
            recordsRead++;
            return event;
        } catch (MalformedRecordException e) {
            throw corrupt(start, "the record there passes its checksum but is " + e.getMessage());
        }
    }

    /** How many events {@link #next()} has returned. */
    public long recordsRead() {
        return recordsRead;
    }

    /** The byte offset in the file of what {@link #next()} reads next. */
    public long offset() {
        return offset;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private CaptureHeader readHeader() throws IOException {
        byte[] magic = new byte[CaptureFormat.MAGIC.length];
        boolean whole = fill(magic, magic.length);
        int read = (int) offset;
        if (read == 0) {
            throw new CaptureFormatException(Reason.NOT_A_CAPTURE, source + " is empty, not a Tapio capture", 0, 0);
        }
        if (!Arrays.equals(magic, 0, read, CaptureFormat.MAGIC, 0, read)) {
            throw new CaptureFormatException(
                    Reason.NOT_A_CAPTURE,
                    source + " is not a Tapio capture (it starts with " + describe(magic, read) + ")",
                    0,
                    0);
        }
        if (!whole) {
            throw truncatedHeader();
        }
        int formatVersion = Short.toUnsignedInt(headerPart(Short.BYTES).getShort());
        if (formatVersion != CaptureFormat.VERSION) {
            throw unsupported("capture format", formatVersion, CaptureFormat.VERSION, CaptureFormat.MAGIC.length);
        }
        ByteBuffer fixed = headerPart(2 * Short.BYTES + 2 * Long.BYTES);
        int abiVersion = Short.toUnsignedInt(fixed.getShort());
        long startEpochNs = fixed.getLong();
        long startMonotonicNs = fixed.getLong();
        int nodeLength = Short.toUnsignedInt(fixed.getShort());
        String node = new String(headerPart(nodeLength).array(), StandardCharsets.UTF_8);
        int expected = (int) checksum.getValue();
        if (headerPart(Integer.BYTES).getInt() != expected) {
            throw new CaptureFormatException(
                    Reason.CORRUPT,
                    source + " is corrupt: its capture header (bytes 0-" + (offset - 1) + ") fails its CRC32C check",
                    0,
                    0);
        }
        // Checked after the checksum, so that a damaged byte is not reported as another version.
        if (abiVersion != EventHeader.ABI_VERSION) {
            throw unsupported(
                    "event ABI", abiVersion, EventHeader.ABI_VERSION, CaptureFormat.MAGIC.length + Short.BYTES);
        }
        return new CaptureHeader(formatVersion, abiVersion, node, startEpochNs, startMonotonicNs);
    }

    private ByteBuffer headerPart(int length) throws IOException {
        byte[] bytes = new byte[length];
        if (!fill(bytes, length)) {
            throw truncatedHeader();
        }
        return ByteBuffer.wrap(bytes);
    }

    private void readEnd(long start) throws IOException {
        if (!fill(scratch, Long.BYTES)) {
            throw cutShort("end-of-capture marker", start);
        }
        long count = scratchView.getLong(0);
        verifyChecksum("end-of-capture marker", start);
        if (count != recordsRead) {
            throw corrupt(
                    start,
                    "the end-of-capture marker there counts " + count + " records, but " + recordsRead + " precede it");
        }
        if (in.read() != -1) {
            throw corrupt(offset, "data follows the end-of-capture marker");
        }
        ended = true;
    }

    private void verifyChecksum(String what, long start) throws IOException {
        int expected = (int) checksum.getValue();
        if (!fill(scratch, Integer.BYTES)) {
            throw cutShort(what, start);
        }
        if (scratchView.getInt(0) != expected) {
            throw corrupt(start, "the " + what + " there fails its CRC32C check");
        }
    }

    /** Reads {@code length} bytes into {@code into}, checksumming them; false when the input ends first. */
    private boolean fill(byte[] into, int length) throws IOException {
        int read = in.readNBytes(into, 0, length);
        checksum.update(into, 0, read);
        offset += read;
        return read == length;
    }

    private CaptureFormatException truncatedHeader() {
        return new CaptureFormatException(
                Reason.TRUNCATED,
                source + " is truncated at byte " + offset + ", inside its capture header: it holds no events",
                offset,
                0);
    }

    private CaptureFormatException unsupported(String what, int found, int supported, long at) {
        String advice = found > supported ? "read it with a newer Tapio" : "read it with the Tapio that recorded it";
        return new CaptureFormatException(
                Reason.UNSUPPORTED_VERSION,
                source + " is in " + what + " version " + found + ", but this Tapio reads " + what + " version "
                        + supported + " only: " + advice,
                at,
                0);
    }

    private CaptureFormatException cutShort(String what, long start) {
        return truncated("the " + what + " starting at byte " + start + " is cut short");
    }

    private CaptureFormatException truncated(String detail) {
        return new CaptureFormatException(
                Reason.TRUNCATED,
                source + " is truncated at byte " + offset + ": " + detail + " (after " + goodRecords() + ")",
                offset,
                recordsRead);
    }

    private CaptureFormatException corrupt(long at, String detail) {
        return new CaptureFormatException(
                Reason.CORRUPT,
                source + " is corrupt at byte " + at + ": " + detail + " (after " + goodRecords() + ")",
                at,
                recordsRead);
    }

    private String goodRecords() {
        return recordsRead + (recordsRead == 1 ? " good record" : " good records");
    }

    /** The bytes in hex and, where printable, as ASCII: enough to recognise most file types. */
    private static String describe(byte[] bytes, int length) {
        StringBuilder hex = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int b = Byte.toUnsignedInt(bytes[i]);
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", b));
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return hex + " \"" + text + "\"";
    }
}
