package io.tapio.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A syscall load generator: threads that call openat(2) on a path that does not exist, as
 * fast as they can, each call a failed open for Tapio's programs to report. The path lies
 * under a prefix of its own, so that a path rule can tell its events from everyone else's.
 */
public final class FailedOpenLoad implements AutoCloseable {
    private static final int AT_FDCWD = -100;
    /** The pacing step of {@link #start(int, long)}. */
    public static final Duration DEFAULT_PACING_STEP = Duration.ofMillis(1);

    private static final int PR_SET_TIMERSLACK = 29;
    private static final MethodHandle OPENAT = Linker.nativeLinker()
            .downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("openat").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle PRCTL = Linker.nativeLinker()
            .downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("prctl").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG),
                    Linker.Option.firstVariadicArg(1));

    private final String prefix = "/tapio-load-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    private final Arena arena = Arena.ofShared();
    private final MemorySegment path = arena.allocateFrom(prefix + "missing");
    private final LongAdder calls = new LongAdder();
    private final LongAdder cpuNanos = new LongAdder();
    private final LongAdder allocatedBytes = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * The directory every path of this load's failed opens is under: a collector's path rule
     * that reports this prefix (and no other) sees the load's opens and nothing else.
     */
    public String pathPrefix() {
        return prefix;
    }

    /** Makes {@code count} failed opens on the calling thread. */
    public void run(long count) {
        for (long i = 0; i < count; i++) {
            openMissing();
        }
        calls.add(count);
    }

    /** Starts {@code threadCount} threads that open as fast as they can until {@link #stop()}. */
    public void start(int threadCount) {
        start(threadCount, 0);
    }

    /**
     * Starts {@code threadCount} threads that open until {@link #stop()}, together at
     * {@code perSecond} opens a second (0: as fast as they can), paced in 1 ms steps: each step's
     * opens come back to back, at the system call's own speed.
     */
    public void start(int threadCount, long perSecond) {
        start(threadCount, perSecond, DEFAULT_PACING_STEP);
    }

    /**
     * Starts {@code threadCount} threads that open until {@link #stop()}, together at
     * {@code perSecond} opens a second (0: as fast as they can), paced in steps of {@code step}:
     * a thread that is ahead sleeps a step. Below 1 ms, the threads ask the kernel for timers
     * that fire within a microsecond of when they are due (the default slack is 50 µs), so that
     * a 20 µs step comes close to a steady rate.
     */
    public void start(int threadCount, long perSecond, Duration step) {
        running.set(true);
        double perThreadPerNano = perSecond / 1e9 / threadCount;
        long stepNanos = step.toNanos();
        for (int i = 0; i < threadCount; i++) {
            threads.add(Thread.ofPlatform().name("tapio-load-" + i).daemon().start(() -> {
                if (stepNanos < DEFAULT_PACING_STEP.toNanos()) {
                    preciseTimers();
                }
                long start = System.nanoTime();
                long local = 0;
                while (running.get()) {
                    if (perSecond > 0 && local >= (System.nanoTime() - start) * perThreadPerNano) {
                        LockSupport.parkNanos(stepNanos);
                        continue;
                    }
                    openMissing();
                    local++;
                }
                calls.add(local);
                cpuNanos.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                allocatedBytes.add(((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                        .getCurrentThreadAllocatedBytes());
            }));
        }
    }

    /** Timers of the calling thread that fire within 1 µs of when they are due (prctl(2) PR_SET_TIMERSLACK). */
    private static void preciseTimers() {
        try {
            int result = (int) PRCTL.invokeExact(PR_SET_TIMERSLACK, 1_000L);
            if (result != 0) {
                throw new IllegalStateException(
                        "prctl(PR_SET_TIMERSLACK) failed: the load's steps would be 50 µs longer");
            }
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** Stops the threads and waits for them; {@link #calls()} is exact afterwards. */
    public void stop() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    /**
     * CPU time the stopped threads of {@link #start} used, the kernel's work in their system
     * calls (the BPF programs on openat among it) included: what a process sharing the machine
     * with this load subtracts to know its own.
     */
    public long cpuNanos() {
        return cpuNanos.sum();
    }

    /** Heap the stopped threads of {@link #start} allocated: what a process sharing the heap subtracts. */
    public long allocatedBytes() {
        return allocatedBytes.sum();
    }

    /** Failed opens made so far by stopped threads and by {@link #run}. */
    public long calls() {
        return calls.sum();
    }

    private void openMissing() {
        try {
            int fd = (int) OPENAT.invokeExact(AT_FDCWD, path, 0);
            if (fd >= 0) {
                throw new IllegalStateException(prefix + "missing exists: the load needs a path that does not");
            }
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** What a downcall threw, as the unchecked exception to throw. */
    private static RuntimeException unchecked(Throwable t) {
        return t instanceof RuntimeException e ? e : new IllegalStateException(t);
    }

    @Override
    public void close() {
        stop();
        arena.close();
    }
}
