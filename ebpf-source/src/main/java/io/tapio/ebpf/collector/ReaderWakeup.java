package io.tapio.ebpf.collector;

import io.tapio.ebpf.abi.ReaderState;
import io.tapio.ebpf.libbpf.BpfMap;
import io.tapio.ebpf.libbpf.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The reader's half of {@code struct tapio_reader_state}: the {@code tapio_reader} map,
 * mapped into the JVM, where a reader about to sleep asks the programs to wake it with the
 * next record. A plain store in shared memory: no system call per sleep.
 */
final class ReaderWakeup implements Runnable, AutoCloseable {
    private static final VarHandle SLEEPING = ValueLayout.JAVA_INT.varHandle();
    private static final long SLEEPING_OFFSET = ReaderState.SLEEPING_OFFSET;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment state;

    ReaderWakeup(BpfMap readerMap) {
        this.state = LibC.mmap(LibC.pageSize(), LibC.PROT_READ | LibC.PROT_WRITE, readerMap.fd(), 0, arena);
    }

    /** Asks for a wakeup with the next record. */
    @Override
    public void run() {
        SLEEPING.setVolatile(state, SLEEPING_OFFSET, 1);
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
