package io.tapio.ebpf.capture;

import java.nio.charset.StandardCharsets;

/**
 * The layout of a capture file, which {@link CaptureWriter} and {@link CaptureReader} share.
 *
 * <pre>
 * header  magic "TAPIOCAP", format version u16, event ABI version u16,
 *         start wall clock (epoch ns) i64, start monotonic clock (ns) i64,
 *         node name length u16, node name (UTF-8), CRC32C of all the header's bytes before it u32
 * record  length u16 (never 0), its complement u16, the record as the kernel wrote it,
 *         CRC32C of all the frame's bytes before it u32
 * end     0 u16, 0xFFFF u16, number of records u64, CRC32C of those 12 bytes u32
 * </pre>
 *
 * The container's integers are big-endian; records keep the kernel's byte order, so that a
 * replay hands the decoder exactly what the ring buffer held. The complement catches a damaged
 * length before the reader follows it, which near the end of the file would look like a
 * truncation. The end marker tells a finished capture from one whose recording was cut between
 * two records.
 */
final class CaptureFormat {
    static final byte[] MAGIC = "TAPIOCAP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int END_MARKER = 0;
    static final int MAX_NODE_BYTES = 0xFFFF;

    private CaptureFormat() {}
}
