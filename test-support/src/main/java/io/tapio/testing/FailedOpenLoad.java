package io.tapio.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
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
    private static final long PACING_STEP_NANOS = 1_000_000L;
    private static final MethodHandle OPENAT = Linker.nativeLinker()
            .downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("openat").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    private final String prefix = "/tapio-load-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    private final Arena arena = Arena.ofShared();
    private final MemorySegment path = arena.allocateFrom(prefix + "missing");
    private final LongAdder calls = new LongAdder();
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
     * {@code perSecond} opens a second (0: as fast as they can), paced in 1 ms steps.
     */
    public void start(int threadCount, long perSecond) {
        running.set(true);
        double perThreadPerNano = perSecond / 1e9 / threadCount;
        for (int i = 0; i < threadCount; i++) {
            threads.add(Thread.ofPlatform().name("tapio-load-" + i).daemon().start(() -> {
                long start = System.nanoTime();
                long local = 0;
                while (running.get()) {
                    if (perSecond > 0 && local >= (System.nanoTime() - start) * perThreadPerNano) {
                        LockSupport.parkNanos(PACING_STEP_NANOS);
                        continue;
                    }
                    openMissing();
                    local++;
                }
                calls.add(local);
            }));
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
            if (t instanceof RuntimeException e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        stop();
        arena.close();
    }
}
