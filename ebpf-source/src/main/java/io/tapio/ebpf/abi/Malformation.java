package io.tapio.ebpf.abi;

import java.lang.foreign.MemorySegment;

/**
 * What can be wrong with a record that claims to be Tapio's. Readers count malformed
 * records by this reason and skip them; they never stop on one.
 */
public enum Malformation {
    /** Shorter than the common header. */
    TRUNCATED,
    BAD_MAGIC,
    /** Written by a different version of the ABI. */
    BAD_VERSION,
    UNKNOWN_TYPE,
    /**
     * The length is neither the size of the record's type nor, for a record that ends in a
     * path, the size up to the path's NUL; or the header's size is not its type's.
     */
    SIZE_MISMATCH;

    /**
     * Checks the record of {@code length} bytes at {@code offset}.
     *
     * @return what is wrong with it, or {@code null} when it is a well-formed record
     */
    public static Malformation find(MemorySegment segment, long offset, long length) {
        if (length < EventHeader.SIZE) {
            return TRUNCATED;
        }
        if (EventHeader.magic(segment, offset) != EventHeader.MAGIC) {
            return BAD_MAGIC;
        }
        if (EventHeader.version(segment, offset) != EventHeader.ABI_VERSION) {
            return BAD_VERSION;
        }
        EventType type = EventType.ofCode(EventHeader.typeCode(segment, offset));
        if (type == null) {
            return UNKNOWN_TYPE;
        }
        if (EventHeader.size(segment, offset) != type.size() || !type.fits(segment, offset, length)) {
            return SIZE_MISMATCH;
        }
        return null;
    }
}
