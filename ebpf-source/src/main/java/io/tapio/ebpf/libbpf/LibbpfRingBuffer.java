package io.tapio.ebpf.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * libbpf's own ring-buffer consumer ({@code ring_buffer__new} and {@code ring_buffer__poll}),
 * which calls back into Java once per record. Tapio reads rings with
 * {@link io.tapio.ebpf.ring.RingBufferReader}; this is the reference it is benchmarked
 * against.
 */
public final class LibbpfRingBuffer implements AutoCloseable {
    /** Receives each record, as libbpf hands it over. */
    @FunctionalInterface
    public interface Callback {
        void onRecord(MemorySegment record);
    }

    private static final MethodHandle SAMPLE;

    static {
        try {
            SAMPLE = MethodHandles.lookup()
                    .findVirtual(
                            LibbpfRingBuffer.class,
                            "sample",
                            MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Arena arena = Arena.ofShared();
    private final Callback callback;
    private final MemorySegment ringBuffer;
    private boolean closed;

    private LibbpfRingBuffer(BpfMap map, Callback callback) {
        this.callback = callback;
        LibBpf lib = LibBpf.get();
        MemorySegment stub = Native.LINKER.upcallStub(
                SAMPLE.bindTo(this), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), arena);
        try {
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            MemorySegment rb = (MemorySegment)
                    lib.ringBufferNew.invokeExact(state, map.fd(), stub, MemorySegment.NULL, MemorySegment.NULL);
            if (rb.address() == 0) {
                throw new BpfException(
                        "ring_buffer__new failed: " + lib.errorMessage(Native.errno(state)), Native.errno(state));
            }
            this.ringBuffer = rb;
        } catch (Throwable t) {
            arena.close();
            throw Native.rethrow(t);
        }
    }

    public static LibbpfRingBuffer open(BpfMap map, Callback callback) {
        return new LibbpfRingBuffer(map, callback);
    }

    /** Waits up to {@code timeoutMillis} for data, then consumes all there is; returns the count. */
    public int poll(int timeoutMillis) {
        try {
            int n = (int) LibBpf.get().ringBufferPoll.invokeExact(ringBuffer, timeoutMillis);
            if (n < 0 && n != -4) { // -EINTR
                throw new BpfException(
                        "ring_buffer__poll failed: " + LibBpf.get().errorMessage(n), -n);
            }
            return Math.max(n, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Consumes every record there is, without waiting; returns the count. */
    public int consume() {
        try {
            int n = (int) LibBpf.get().ringBufferConsume.invokeExact(ringBuffer);
            if (n < 0) {
                throw new BpfException(
                        "ring_buffer__consume failed: " + LibBpf.get().errorMessage(n), -n);
            }
            return n;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @SuppressWarnings("unused") // called from native code
    private int sample(MemorySegment context, MemorySegment data, long size) {
        try {
            callback.onRecord(data.reinterpret(size));
            return 0;
        } catch (Throwable t) {
            return -22; // -EINVAL stops this consume; an exception must not reach native code
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                LibBpf.get().ringBufferFree.invokeExact(ringBuffer);
            } catch (Throwable t) {
                throw Native.rethrow(t);
            } finally {
                arena.close();
            }
        }
    }
}
