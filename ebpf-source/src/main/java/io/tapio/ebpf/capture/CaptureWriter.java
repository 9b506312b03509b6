package io.tapio.ebpf.capture;

import io.tapio.ebpf.abi.EventHeader;
import io.tapio.ebpf.abi.KernelEvent;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Writes kernel events to a capture file (layout in {@link CaptureFormat}). Not thread-safe.
 * The file is complete only once {@link #close()} has written the end marker.
 */
public final class CaptureWriter implements AutoCloseable {
    private static final int BUFFER_SIZE = 1 << 16;

    private final Path file;
    private final CaptureHeader header;
    private final CRC32C checksum = new CRC32C();
    private final DataOutputStream out;
    /** Writes through to {@link #out}, adding every byte to {@link #checksum}. */
    private final DataOutputStream checked;

    private long recordsWritten;
    private boolean closed;

    private CaptureWriter(Path file, CaptureHeader header, OutputStream stream) {
        this.file = file;
        this.header = header;
        this.out = new DataOutputStream(new BufferedOutputStream(stream, BUFFER_SIZE));
        this.checked = new DataOutputStream(new CheckedOutputStream(out, checksum));
    }

    /** Creates (or replaces) {@code file} for a capture on {@code node} that starts now. */
    public static CaptureWriter create(Path file, String node) throws IOException {
        Instant wallClock = Instant.now();
        long monotonic = System.nanoTime();
        return create(
                file, node, TimeUnit.SECONDS.toNanos(wallClock.getEpochSecond()) + wallClock.getNano(), monotonic);
    }

    /**
     * Creates (or replaces) {@code file} for a capture on {@code node} that started at one instant,
     * given on the wall clock and on the clock of kernel timestamps.
     *
     * @throws IllegalArgumentException when the node name is longer than 65535 bytes in UTF-8
     */
    public static CaptureWriter create(Path file, String node, long startEpochNs, long startMonotonicNs)
            throws IOException {
        CaptureHeader header =
                new CaptureHeader(CaptureFormat.VERSION, EventHeader.ABI_VERSION, node, startEpochNs, startMonotonicNs);
        byte[] encoded = encode(header);
        OutputStream stream = Files.newOutputStream(file);
        try {
            // In one write and at once, so that the header is on disk whole as soon as the
            // capture exists, however the recording ends.
            stream.write(encoded);
        } catch (IOException e) {
            stream.close();
            throw e;
        }
        return new CaptureWriter(file, header, stream);
    }

    private static byte[] encode(CaptureHeader header) throws IOException {
        byte[] node = header.node().getBytes(StandardCharsets.UTF_8);
        if (node.length > CaptureFormat.MAX_NODE_BYTES) {
            throw new IllegalArgumentException("node name is " + node.length + " bytes in UTF-8, more than the "
                    + CaptureFormat.MAX_NODE_BYTES + " a capture holds");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        data.write(CaptureFormat.MAGIC);
        data.writeShort(header.formatVersion());
        data.writeShort(header.abiVersion());
        data.writeLong(header.startEpochNs());
        data.writeLong(header.startMonotonicNs());
        data.writeShort(node.length);
        data.write(node);
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        data.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }

    public CaptureHeader header() {
        return header;
    }

    public void write(KernelEvent event) throws IOException {
        if (closed) {
            throw new IllegalStateException("capture " + file + " is closed");
        }
        checksum.reset();
        writeLength(event.size());
        event.writeTo(checked);
        out.writeInt((int) checksum.getValue());
        recordsWritten++;
    }

    private void writeLength(int length) throws IOException {
        checked.writeShort(length);
        checked.writeShort(~length);
    }

    public long recordsWritten() {
        return recordsWritten;
    }

    /** Writes the end marker and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            checksum.reset();
            writeLength(CaptureFormat.END_MARKER);
            checked.writeLong(recordsWritten);
            out.writeInt((int) checksum.getValue());
        }
    }
}
