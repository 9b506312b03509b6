package io.tapio.ebpf.capture;

import java.io.IOException;

/** A file that cannot be read as a capture, with the reason and where reading stopped. */
public final class CaptureFormatException extends IOException {
    public enum Reason {
        /** Not a Tapio capture at all. */
        NOT_A_CAPTURE,
        /** A capture this Tapio cannot read: another format version or event ABI version. */
        UNSUPPORTED_VERSION,
        /** The file ends early: the recording was cut short, or the file was copied in part. */
        TRUNCATED,
        /** Bytes that fail their checksum or do not make sense where they are. */
        CORRUPT
    }

    private final Reason reason;
    private final long offset;
    private final long recordsRead;

    CaptureFormatException(Reason reason, String message, long offset, long recordsRead) {
        super(message);
        this.reason = reason;
        this.offset = offset;
        this.recordsRead = recordsRead;
    }

    public Reason reason() {
        return reason;
    }

    /** The byte offset in the file where the problem is. */
    public long offset() {
        return offset;
    }

    /** How many records were read, all intact, before the problem. */
    public long recordsRead() {
        return recordsRead;
    }
}
