package io.tapio.bench.micro;

import io.tapio.ebpf.abi.EventPayload;
import io.tapio.ebpf.abi.HandOverBuffer;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.Malformation;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A record from the ring to a {@link KernelEvent}, as the eBPF source's reader takes it: the
 * records lie in off-heap memory as the kernel lays them out in the ring (an 8-byte header
 * each, 8-byte aligned); each is validated where it lies and copied into the hand-over's buffer,
 * lent (a hand-over of {@link #HAND_OVER} records), and then its payload decoded, which the
 * job's filter asks for first. Beside it, the record copied out into an array of its own, as
 * the agent and the recorder take it and as the reader did.
 */
@State(Scope.Thread)
public class DecodeBenchmark {
    private static final int HEADER_BYTES = 8;
    /** Records the reader hands over at a time under load (its adaptive batch between 16 and 4,096). */
    private static final int HAND_OVER = 64;

    private Arena arena;
    private MemorySegment ring;
    private final long[] offsets = new long[SyntheticNode.EVENTS];
    private final int[] lengths = new int[SyntheticNode.EVENTS];
    private int next;
    private final HandOverBuffer handOver = new HandOverBuffer();

    @Setup(Level.Trial)
    public void layOutTheRing() throws IOException {
        KernelEvent[] events;
        try (SyntheticNode node = SyntheticNode.create()) {
            events = node.events();
        }
        long size = 0;
        for (KernelEvent event : events) {
            size += footprint(event.size());
        }
        arena = Arena.ofShared();
        ring = arena.allocate(size, HEADER_BYTES);
        long position = 0;
        for (int i = 0; i < events.length; i++) {
            int length = events[i].size();
            ring.set(ValueLayout.JAVA_INT, position, length);
            MemorySegment.copy(
                    events[i].toByteArray(), 0, ring, ValueLayout.JAVA_BYTE, position + HEADER_BYTES, length);
            offsets[i] = position + HEADER_BYTES;
            lengths[i] = length;
            position += footprint(length);
        }
    }

    private static long footprint(int length) {
        return (length + HEADER_BYTES + 7L) & ~7L;
    }

    /** What the reader does with each record: validate it in place, copy it into the hand-over's buffer. */
    @Benchmark
    public KernelEvent record() {
        int i = take();
        if (i % HAND_OVER == 0) {
            handOver.next();
        }
        return handOver.copy(ring, offsets[i], lengths[i]);
    }

    /** The record validated in place and copied out into an array of its own. */
    @Benchmark
    public KernelEvent owned() {
        int i = take();
        return KernelEvent.copyOf(ring, offsets[i], lengths[i]);
    }

    /** The next record, validated where it lies. */
    private int take() {
        int i = next;
        next = (i + 1) & (SyntheticNode.EVENTS - 1);
        if (Malformation.find(ring, offsets[i], lengths[i]) != null) {
            throw new IllegalStateException("record " + i + " is malformed");
        }
        return i;
    }

    /** A lent record, and the payload decoded, as the job's filter first reads it. */
    @Benchmark
    public EventPayload payload() {
        return record().payload();
    }

    @TearDown(Level.Trial)
    public void unmap() {
        arena.close();
    }
}
