package io.tapio.ebpf.abi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The heap buffer a source reader copies the records of one hand-over into, one after another,
 * and fills again from the start for the next: an event read off the ring then allocates its
 * {@link KernelEvent} and nothing else (a record of its own was half the bytes the job allocated
 * per event). The events are lent ({@link KernelEvent#lent()}): readable until {@link #next()}
 * ends their hand-over, and kept beyond it only as {@link KernelEvent#kept()} copies.
 *
 * <p>A hand-over is what a reader hands downstream in one {@code pollNext}, and what the
 * operators chained to it do with those records before the reader's next {@code pollNext}
 * (Flink runs the mails they leave, such as the correlator's end of its partial batches, before
 * polling the source again). One thread fills and ends hand-overs: the reader's task.
 */
public final class HandOverBuffer {
    /** Larger than a hand-over's records: a reader hands over a few thousand at most, most under 200 bytes. */
    private static final int INITIAL_BYTES = 1 << 20;

    private byte[] bytes;
    private int used;
    private Lease lease = new Lease();

    public HandOverBuffer() {
        this(INITIAL_BYTES);
    }

    HandOverBuffer(int initialBytes) {
        this.bytes = new byte[initialBytes];
    }

    /**
     * Copies the record of {@code length} bytes at {@code offset}, up to its path's NUL if it
     * ends in one, into the buffer.
     *
     * @return the event, readable until {@link #next()}
     * @throws MalformedRecordException when it is not a well-formed record
     */
    public KernelEvent copy(MemorySegment source, long offset, int length) {
        int size = KernelEvent.usedSize(source, offset, length);
        if (bytes.length - used < size) {
            // A new array: the events of this hand-over still read the old one, which goes with them.
            bytes = new byte[Math.max(2 * bytes.length, size)];
            used = 0;
        }
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, bytes, used, size);
        KernelEvent event = new KernelEvent(bytes, used, lease);
        used += size;
        return event;
    }

    /** Ends the hand-over: its events can no longer be read, and the buffer is filled from the start. */
    public void next() {
        if (used > 0) {
            lease.ended = true;
            lease = new Lease();
            used = 0;
        }
    }

    /** The bytes the buffer holds for the hand-over under way (for the tests: nothing else asks). */
    int used() {
        return used;
    }

    /** Whether the events of one hand-over may still be read. */
    static final class Lease {
        private boolean ended;

        boolean ended() {
            return ended;
        }
    }
}
