package io.tapio.bench.overhead;

import io.tapio.bench.collector.RingConsumer;
import io.tapio.ebpf.ring.RingBufferReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread reading the ring during a traced run as a {@link Variant.Reader} says, which counts
 * its own wakeups and CPU time (read by the thread itself, from the kernel's accounts).
 */
final class RingReaderThread {
    /** As the source's reader: a sleep without records ends this late at the latest. */
    private static final Duration LONGEST_SLEEP = Duration.ofSeconds(1);

    private static final Duration NAP = Duration.ofMillis(10);
    private static final Path STATUS = Path.of("/proc/thread-self/status");
    private static final String VOLUNTARY_SWITCHES = "voluntary_ctxt_switches:";

    private final RingBufferReader reader;
    private final Variant.Reader mode;
    private final Thread thread;
    private volatile boolean reading = true;
    private ReaderCost cost = ReaderCost.NONE;

    private RingReaderThread(RingBufferReader reader, Variant.Reader mode) {
        this.reader = reader;
        this.mode = mode;
        this.thread = Thread.ofPlatform().name("tapio-overhead-reader").unstarted(this::read);
    }

    static RingReaderThread start(RingBufferReader reader, Variant.Reader mode) {
        RingReaderThread started = new RingReaderThread(reader, mode);
        started.thread.start();
        return started;
    }

    private void read() {
        long switches = voluntarySwitches();
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        while (reading) {
            while (reader.drain((ring, offset, length) -> {}, RingConsumer.BATCH) > 0) {
                // until the ring is empty
            }
            switch (mode) {
                case WOKEN -> reader.await(LONGEST_SLEEP);
                case NAPPING -> LockSupport.parkNanos(NAP.toNanos());
                case UNREAD -> throw new IllegalStateException("an unread ring has no reader");
            }
        }
        cost = new ReaderCost(
                voluntarySwitches() - switches,
                ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu);
    }

    /** Stops the thread and says what it cost since it started. */
    ReaderCost stop() {
        reading = false;
        reader.wakeUp();
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the reader", e);
        }
        return cost;
    }

    private static long voluntarySwitches() {
        try {
            return Files.readAllLines(STATUS).stream()
                    .filter(line -> line.startsWith(VOLUNTARY_SWITCHES))
                    .mapToLong(line -> Long.parseLong(
                            line.substring(VOLUNTARY_SWITCHES.length()).trim()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(STATUS + " has no " + VOLUNTARY_SWITCHES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
