package io.tapio.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.apache.flink.util.CloseableIterator;

/** What a running job's collect sink hands over (start it once the job is submitted), kept for a test to wait on. */
final class Collected<T> implements AutoCloseable {
    private final Queue<T> items = new ConcurrentLinkedQueue<>();
    private final CloseableIterator<T> iterator;
    private final Thread thread;

    Collected(String name, CloseableIterator<T> iterator) {
        this.iterator = iterator;
        this.thread = Thread.ofPlatform().name("collect-" + name).daemon().start(() -> {
            try {
                iterator.forEachRemaining(items::add);
            } catch (RuntimeException cancelled) {
                // the job is cancelled at the end of the test class: nothing more will come
            }
        });
    }

    /** The first item that matches, waiting up to {@code timeout} for it; fails the test otherwise. */
    T await(String what, Predicate<T> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (T item : items) {
                if (matching.test(item)) {
                    return item;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + what + " within " + timeout + " among " + items.size() + " items");
    }

    /** Waits until at least {@code count} items match, up to {@code timeout}; returns those there are then. */
    List<T> awaitCount(Predicate<T> matching, long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> found = matching(matching);
        while (found.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            found = matching(matching);
        }
        return found;
    }

    List<T> matching(Predicate<T> matching) {
        return items.stream().filter(matching).toList();
    }

    @Override
    public void close() throws Exception {
        iterator.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
