package io.tapio.ebpf.ring;

import java.lang.foreign.MemorySegment;

/** Receives each well-formed record a {@link RingBufferReader} reads. */
@FunctionalInterface
public interface RecordHandler {
    /**
     * Called once per well-formed record, in ring order, on the reading thread.
     *
     * @param ring the ring's memory: valid only during the call, since the kernel reuses the
     *     space once the call returns; copy what must outlive it
     * @param offset where the record starts in {@code ring}
     * @param length the record's length in bytes
     */
    void onRecord(MemorySegment ring, long offset, int length);
}
