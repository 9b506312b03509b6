package io.tapio.ebpf.capture;

import io.tapio.ebpf.abi.EventHeader;
import io.tapio.ebpf.abi.HandOverBuffer;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.MalformedRecordException;
import io.tapio.ebpf.capture.CaptureFormatException.Reason;
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
    /** Room for the longest record a 16-bit length allows, twice over. */
    private static final int BUFFER_SIZE = 1 << 17;

    private final String source;
    private final InputStream in;
    private final CRC32C checksum = new CRC32C();
    /**
     * The file's bytes as read, its own buffer rather than a {@code BufferedInputStream}: a
     * record is validated and copied into its event where it lies here, once, where the stream
     * was asked three times a record (length, record, checksum) and the record copied twice.
     */
    private final byte[] buffer = new byte[BUFFER_SIZE];

    private final ByteBuffer bufferBytes = ByteBuffer.wrap(buffer); // the file's byte order, big-endian
    private final MemorySegment bufferView = MemorySegment.ofArray(buffer);
    /** Where in {@link #buffer} the next byte to take is, and where what was read ends. */
    private int position;

    private int limit;
    /** Where in {@link #buffer} the bytes {@link #take} took last start. */
    private int taken;

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
            return new CaptureReader(in, source);
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
        return read(null);
    }

    /**
     * The next event, lent: its record copied into {@code handOver}, to be read until the
     * hand-over ends ({@link HandOverBuffer}); {@code null} after the last one.
     *
     * @throws CaptureFormatException as {@link #next()}
     */
    public KernelEvent next(HandOverBuffer handOver) throws IOException {
        return read(handOver);
    }

    /** The next event, lent by {@code handOver}, or with a record of its own where that is null. */
    private KernelEvent read(HandOverBuffer handOver) throws IOException {
        if (ended) {
            return null;
        }
        long start = offset;
        checksum.reset();
        if (!take(2 * Short.BYTES)) {
            throw offset == start
                    ? truncated("the end-of-capture marker is missing, so the recording was cut short")
                    : cutShort("record", start);
        }
        int length = Short.toUnsignedInt(bufferBytes.getShort(taken));
        if (Short.toUnsignedInt((short) ~bufferBytes.getShort(taken + Short.BYTES)) != length) {
            throw corrupt(start, "the length of the record there is damaged");
        }
        if (length == CaptureFormat.END_MARKER) {
            readEnd(start);
            return null;
        }
        ensure(length + Integer.BYTES); // the record and its checksum together, so that the record stays put
        if (!take(length)) {
            throw cutShort("record", start);
        }
        int record = taken;
        verifyChecksum("record", start);
        try {
            KernelEvent event = handOver == null
                    ? KernelEvent.copyOf(bufferView, record, length)
                    : handOver.copy(bufferView, record, length);
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
        boolean whole = take(CaptureFormat.MAGIC.length);
        int read = (int) offset;
        byte[] magic = Arrays.copyOfRange(buffer, taken, taken + read);
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
        if (!take(length)) {
            throw truncatedHeader();
        }
        return ByteBuffer.wrap(Arrays.copyOfRange(buffer, taken, taken + length));
    }

    private void readEnd(long start) throws IOException {
        if (!take(Long.BYTES)) {
            throw cutShort("end-of-capture marker", start);
        }
        long count = bufferBytes.getLong(taken);
        verifyChecksum("end-of-capture marker", start);
        if (count != recordsRead) {
            throw corrupt(
                    start,
                    "the end-of-capture marker there counts " + count + " records, but " + recordsRead + " precede it");
        }
        if (position < limit || in.read() != -1) {
            throw corrupt(offset, "data follows the end-of-capture marker");
        }
        ended = true;
    }

    private void verifyChecksum(String what, long start) throws IOException {
        int expected = (int) checksum.getValue();
        if (!take(Integer.BYTES)) {
            throw cutShort(what, start);
        }
        if (bufferBytes.getInt(taken) != expected) {
            throw corrupt(start, "the " + what + " there fails its CRC32C check");
        }
    }

    /**
     * Takes the next {@code length} bytes (at most 0xFFFF), checksumming them: they are in
     * {@link #buffer} from {@link #taken} until a call reads more. False when the input ends
     * first; what there was is taken.
     */
    private boolean take(int length) throws IOException {
        ensure(length);
        int got = Math.min(length, limit - position);
        checksum.update(buffer, position, got);
        taken = position;
        position += got;
        offset += got;
        return got == length;
    }

    /**
     * Makes the next {@code length} bytes lie in {@link #buffer} from {@link #position}, as far as
     * the input has them, moving what is there to the buffer's start first when they would not fit.
     */
    private void ensure(int length) throws IOException {
        if (limit - position < length) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
            for (int read; limit < length && (read = in.read(buffer, limit, buffer.length - limit)) >= 0; ) {
                limit += read;
            }
        }
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
