package io.tapio.ebpf.ring;

import io.tapio.ebpf.libbpf.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A BPF ring buffer map mapped into this process, as the kernel lays it out
 * (kernel/bpf/ringbuf.c): the consumer position on a page of its own, mapped read-write at
 * offset 0; the producer position on the next page, followed by the data area mapped twice
 * in a row, all read-only. The double mapping lets a record that wraps around the end be
 * read as one contiguous range.
 *
 * <p>Each record starts with an 8-byte header: a 32-bit length whose bit 31 says the
 * producer is still writing it (BUSY) and bit 30 that it was discarded, then a page offset.
 * Positions only grow; the kernel publishes the producer position and each length with
 * release semantics, so this side reads them with acquire semantics and publishes the
 * consumer position with release semantics.
 */
final class MappedRingBuffer implements AutoCloseable {
    static final int HEADER_BYTES = 8;
    static final int BUSY = 1 << 31;
    static final int DISCARD = 1 << 30;

    private static final VarHandle POSITION = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle LENGTH = ValueLayout.JAVA_INT.varHandle();

    /** Owns both mappings: closing it unmaps them, and a read after that throws, not crashes. */
    private final Arena arena = Arena.ofShared();

    private final MemorySegment consumerPage;
    private final MemorySegment producerMapping;
    private final MemorySegment data;
    private final long size;
    private final long mask;

    /**
     * @param fd the ring buffer map's file descriptor
     * @param size the data area's size: the map's max_entries, a power of two
     */
    MappedRingBuffer(int fd, long size) {
        if (Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring buffer size " + size + " is not a power of two");
        }
        long page = LibC.pageSize();
        this.size = size;
        this.mask = size - 1;
        try {
            this.consumerPage = LibC.mmap(page, LibC.PROT_READ | LibC.PROT_WRITE, fd, 0, arena);
            this.producerMapping = LibC.mmap(page + 2 * size, LibC.PROT_READ, fd, page, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        this.data = producerMapping.asSlice(page);
    }

    long size() {
        return size;
    }

    /** The data area, twice: a record at {@code offset(position)} is contiguous. */
    MemorySegment data() {
        return data;
    }

    long offset(long position) {
        return position & mask;
    }

    long consumerPosition() {
        return (long) POSITION.getAcquire(consumerPage, 0L);
    }

    void releaseConsumerPosition(long position) {
        POSITION.setRelease(consumerPage, 0L, position);
    }

    long producerPosition() {
        return (long) POSITION.getAcquire(producerMapping, 0L);
    }

    /** The length word of the record header at {@code position}, busy and discard bits included. */
    int lengthWord(long position) {
        return (int) LENGTH.getAcquire(data, offset(position));
    }

    /** Bytes written by the kernel and not yet consumed. */
    long pendingBytes() {
        return producerPosition() - consumerPosition();
    }

    /** Bytes a record of {@code length} occupies: header plus data, rounded up to 8. */
    static long footprint(int length) {
        return (length + HEADER_BYTES + 7L) & ~7L;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
