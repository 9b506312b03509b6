package io.tapio.ebpf.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.time.Duration;

/**
 * The scheduler's time slice of the calling thread ({@code sched_setattr(2)}'s
 * {@code sched_runtime} for a normal thread, Linux 6.12+): a thread that asks for a short slice
 * is run sooner when it wakes, in exchange for shorter runs, and gets no more CPU than before.
 * EEVDF gives a woken thread a deadline one slice ahead and lets a thread with the shorter slice
 * preempt the one running; with the default slice a woken reader waits up to a slice or a tick
 * behind whatever holds the CPU. Older kernels ignore the request (their {@code sched_getattr}
 * then reports no slice, which is how {@link #request} tells).
 */
public final class ThreadSlice {
    private static final int SCHED_OTHER = 0;
    /** struct sched_attr as of Linux 4.13 (utilization clamps): 56 bytes. */
    private static final int ATTR_SIZE = 56;

    private static final long POLICY = 4;
    private static final long RUNTIME = 24;
    private static final int SCHED_GETATTR;
    private static final int SCHED_SETATTR;

    static {
        switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> {
                SCHED_SETATTR = 314;
                SCHED_GETATTR = 315;
            }
            case "aarch64" -> {
                SCHED_SETATTR = 274;
                SCHED_GETATTR = 275;
            }
            default -> {
                SCHED_SETATTR = -1;
                SCHED_GETATTR = -1;
            }
        }
    }

    /**
     * {@code long syscall(long number, ...)} with (0 for the calling thread, the attributes, then
     * the size and flags of {@code sched_getattr} or the flags of {@code sched_setattr}).
     */
    private static final MethodHandle SYSCALL = Native.LINKER.downcallHandle(
            Native.symbol(Native.LINKER.defaultLookup(), "syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(1),
            Linker.Option.captureCallState("errno"));

    private ThreadSlice() {}

    /**
     * Asks the scheduler to run the calling thread in slices of {@code slice} (the kernel keeps it
     * within 0.1 to 100 ms), keeping its policy and nice value.
     *
     * @return the slice the kernel now runs it in, or {@link Duration#ZERO} when this kernel does
     *     not take one (before 6.12), this architecture's call is unknown, or the thread is not a
     *     normal one (a real-time policy)
     * @throws NativeException when the kernel refuses the call
     */
    public static Duration request(Duration slice) {
        if (SCHED_SETATTR < 0) {
            return Duration.ZERO;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            call(state, SCHED_GETATTR, attr, ATTR_SIZE, "sched_getattr");
            if (attr.get(JAVA_INT, POLICY) != SCHED_OTHER) {
                return Duration.ZERO;
            }
            attr.set(JAVA_INT, 0, ATTR_SIZE);
            attr.set(JAVA_LONG, RUNTIME, slice.toNanos());
            call(state, SCHED_SETATTR, attr, 0, "sched_setattr");
            call(state, SCHED_GETATTR, attr, ATTR_SIZE, "sched_getattr");
            return Duration.ofNanos(attr.get(JAVA_LONG, RUNTIME));
        }
    }

    private static void call(MemorySegment state, int number, MemorySegment attr, int sizeOrFlags, String name) {
        long result;
        try {
            result = (long) SYSCALL.invokeExact(state, (long) number, 0, attr, sizeOrFlags, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result != 0) {
            throw new NativeException(name, Native.errno(state));
        }
    }
}
