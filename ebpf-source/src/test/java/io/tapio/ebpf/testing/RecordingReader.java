package io.tapio.ebpf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.ring.RingBufferReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * Reads a ring buffer on a background thread and keeps every event, so that a test can make
 * something happen and then wait for the event it expects.
 */
public final class RecordingReader implements AutoCloseable {
    private final Queue<KernelEvent> events = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** Events of {@code type} about the process {@code pid}. */
    public static Predicate<KernelEvent> eventOf(EventType type, long pid) {
        return e -> e.type() == type && e.pid() == pid;
    }

    public RecordingReader(RingBufferReader reader) {
        thread = Thread.ofPlatform().name("recording-reader").daemon().start(() -> {
            try {
                while (running) {
                    reader.poll(
                            (ring, offset, length) -> events.add(KernelEvent.copyOf(ring, offset, length)),
                            4096,
                            Duration.ofMillis(5));
                }
            } catch (Throwable t) {
                failure = t;
            }
        });
    }

    /** Waits for the first event (seen so far or to come) that matches; fails the test on timeout. */
    public KernelEvent await(String what, Predicate<KernelEvent> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<KernelEvent> found = events.stream().filter(matching).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (failure != null) {
                throw new AssertionError("the reader failed", failure);
            }
            if (System.nanoTime() > deadline) {
                return fail("no " + what + " within " + timeout + " among " + events.size() + " events, the first: "
                        + events.stream().limit(20).toList());
            }
            sleep();
        }
    }

    public KernelEvent await(String what, Predicate<KernelEvent> matching) {
        return await(what, matching, Duration.ofSeconds(10));
    }

    public List<KernelEvent> matching(Predicate<KernelEvent> matching) {
        return events.stream().filter(matching).toList();
    }

    public int size() {
        return events.size();
    }

    public void clear() {
        events.clear();
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
