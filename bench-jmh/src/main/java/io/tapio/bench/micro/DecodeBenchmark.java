package io.tapio.bench.micro;

import io.tapio.ebpf.abi.EventPayload;
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
 * each, 8-byte aligned); each is validated where it lies and copied out, and then its payload
 * decoded, which the job's filter asks for first.
 */
@State(Scope.Thread)
public class DecodeBenchmark {
    private static final int HEADER_BYTES = 8;

    private Arena arena;
    private MemorySegment ring;
    private final long[] offsets = new long[SyntheticNode.EVENTS];
    private final int[] lengths = new int[SyntheticNode.EVENTS];
    private int next;

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

    /** What the reader does with each record: validate it in place, copy it out. */
    @Benchmark
    public KernelEvent record() {
        int i = next;
        next = (i + 1) & (SyntheticNode.EVENTS - 1);
        if (Malformation.find(ring, offsets[i], lengths[i]) != null) {
            throw new IllegalStateException("record " + i + " is malformed");
        }
        return KernelEvent.copyOf(ring, offsets[i], lengths[i]);
    }

    /** The same, and the payload decoded, as the job's filter first reads it. */
    @Benchmark
    public EventPayload payload() {
        return record().payload();
    }

    @TearDown(Level.Trial)
    public void unmap() {
        arena.close();
    }
}
