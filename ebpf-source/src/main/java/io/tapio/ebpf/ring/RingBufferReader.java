package io.tapio.ebpf.ring;

import io.tapio.ebpf.abi.Malformation;
import io.tapio.ebpf.libbpf.BpfMap;
import io.tapio.ebpf.libbpf.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Reads a BPF ring buffer by mapping it into the JVM: no copy, no upcall per record. Each
 * record is validated (magic, version, type, length) where it lies; a well-formed one is
 * handed to a {@link RecordHandler}, a malformed one is counted by reason and skipped.
 *
 * <p>One thread reads ({@link #drain}, {@link #poll}, {@link #await}); any thread may read the
 * statistics or {@link #wakeUp} a waiting reader. The producer submits without waking the
 * reader (see tapio.h) unless the reader said it is about to sleep, or the ring is filling.
 */
public final class RingBufferReader implements AutoCloseable {
    /** Waits up to this long are naps: they do not ask for a wakeup. */
    public static final Duration WAKEUP_AFTER = Duration.ofMillis(1);

    private final MappedRingBuffer ring;
    private final Runnable beforeSleep;
    private final Arena arena = Arena.ofShared();
    private final int epollFd;
    private final MemorySegment epollScratch;
    /** Readable when another thread wants a waiting reader back ({@link #wakeUp}). */
    private final int wakeFd;

    private final MemorySegment wakeSignal;
    private final MemorySegment wakeScratch;
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final AtomicLongArray malformed = new AtomicLongArray(Malformation.values().length);
    private volatile long records;
    private volatile long bytes;
    private boolean closed;

    private RingBufferReader(MappedRingBuffer ring, int fd, Runnable beforeSleep) {
        this.ring = ring;
        this.beforeSleep = beforeSleep;
        this.wakeFd = LibC.eventfd();
        try {
            this.epollFd = LibC.epollFor(fd, wakeFd);
        } catch (RuntimeException e) {
            LibC.close(wakeFd);
            throw e;
        }
        this.epollScratch = LibC.epollScratch(arena);
        this.wakeSignal = arena.allocate(Long.BYTES);
        this.wakeScratch = arena.allocate(Long.BYTES);
    }

    /** Maps the ring buffer map {@code map} of a loaded object. */
    public static RingBufferReader open(BpfMap map) {
        return open(map, () -> {});
    }

    /**
     * Maps the ring buffer map {@code map} of a loaded object.
     *
     * @param beforeSleep tells the producer that this reader is about to wait for a wakeup
     *     (for producers that otherwise do not wake it); runs before every wait
     */
    public static RingBufferReader open(BpfMap map, Runnable beforeSleep) {
        int fd = map.fd();
        MappedRingBuffer ring = new MappedRingBuffer(fd, Integer.toUnsignedLong(map.maxEntries()));
        try {
            return new RingBufferReader(ring, fd, beforeSleep);
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    /**
     * Hands over up to {@code maxRecords} well-formed records that are already in the ring,
     * without waiting. A record's space is returned to the kernel as soon as the handler
     * returns; if the handler throws, that record stays in the ring and is read again.
     *
     * @return the number of well-formed records handed over
     */
    public int drain(RecordHandler handler, int maxRecords) {
        MemorySegment data = ring.data();
        long consumer = ring.consumerPosition();
        long producer = ring.producerPosition();
        int delivered = 0;
        long deliveredBytes = 0;
        while (consumer < producer && delivered < maxRecords) {
            int word = ring.lengthWord(consumer);
            if ((word & MappedRingBuffer.BUSY) != 0) {
                break; // still being written; records are consumed in order
            }
            int length = word & ~(MappedRingBuffer.BUSY | MappedRingBuffer.DISCARD);
            if ((word & MappedRingBuffer.DISCARD) == 0) {
                long offset = ring.offset(consumer) + MappedRingBuffer.HEADER_BYTES;
                Malformation malformation = Malformation.find(data, offset, length);
                if (malformation == null) {
                    handler.onRecord(data, offset, length);
                    delivered++;
                    deliveredBytes += length;
                } else {
                    malformed.incrementAndGet(malformation.ordinal());
                }
            }
            consumer += MappedRingBuffer.footprint(length);
            ring.releaseConsumerPosition(consumer);
        }
        if (delivered > 0) {
            records = records + delivered; // single writer: the reading thread
            bytes = bytes + deliveredBytes;
        }
        return delivered;
    }

    /**
     * Waits until the kernel wakes this reader, {@link #wakeUp} is called or {@code timeout}
     * passes, unless data is already waiting. Only a wait longer than {@link #WAKEUP_AFTER}
     * asks the producer for a wakeup: a busy reader that naps briefly and often would otherwise
     * make nearly every record wake it, which costs the producer most of its throughput.
     *
     * <p>The request is a flag the producer reads before it submits; the producer does not
     * fence its reservation (which moves the producer position) against that read, so on rare
     * occasions a record written just as the reader goes to sleep wakes nobody. Records then
     * wait for the next one, for the ring to fill to its wakeup threshold, or for the timeout:
     * a reader that sleeps long must look again when it ends.
     *
     * @return whether data is waiting
     */
    public boolean await(Duration timeout) {
        if (pendingBytes() > 0) {
            return true;
        }
        if (timeout.compareTo(WAKEUP_AFTER) > 0) {
            beforeSleep.run();
            VarHandle.fullFence(); // the request is visible before the ring is looked at again
            if (pendingBytes() > 0) {
                return true; // written before the producer saw the request: no wakeup will come for it
            }
        }
        long millis = timeout.toMillis();
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, millis == 0 && !timeout.isZero() ? 1 : millis);
        LibC.epollWait(epollFd, epollScratch, timeoutMillis);
        if (wakeRequested.getAndSet(false)) {
            LibC.eventfdClear(wakeFd, wakeScratch);
        }
        return pendingBytes() > 0;
    }

    /** Ends a wait in {@link #await} now, or the next one if none is under way. Any thread. */
    public void wakeUp() {
        if (!wakeRequested.getAndSet(true)) {
            LibC.eventfdSignal(wakeFd, wakeSignal);
        }
    }

    /** {@link #drain}, after waiting up to {@code timeout} if the ring is empty. */
    public int poll(RecordHandler handler, int maxRecords, Duration timeout) {
        int delivered = drain(handler, maxRecords);
        if (delivered == 0 && await(timeout)) {
            delivered = drain(handler, maxRecords);
        }
        return delivered;
    }

    /**
     * How far the reader has read, in the ring's bytes: it moves with every record taken,
     * well-formed, malformed or discarded alike. Any thread.
     */
    public long consumed() {
        return ring.consumerPosition();
    }

    /** Bytes the kernel has written that are not yet read. */
    public long pendingBytes() {
        return ring.pendingBytes();
    }

    /** How full the ring is, from 0 to 1. */
    public double fillRatio() {
        return (double) pendingBytes() / ring.size();
    }

    public long capacityBytes() {
        return ring.size();
    }

    /** Well-formed records handed to a handler so far; cheaper than {@link #stats}. Any thread. */
    public long records() {
        return records;
    }

    public ReaderStats stats() {
        Map<Malformation, Long> byReason = new EnumMap<>(Malformation.class);
        for (Malformation m : Malformation.values()) {
            byReason.put(m, malformed.get(m.ordinal()));
        }
        return new ReaderStats(records, bytes, byReason);
    }

    /**
     * Unmaps the ring. A thread still reading afterwards gets an {@link IllegalStateException},
     * never a crash.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            ring.close();
            arena.close();
            LibC.close(epollFd);
            LibC.close(wakeFd);
        }
    }
}
