package io.tapio.ebpf.collector;

import java.time.Duration;

/**
 * Opens a collector in a JVM of its own, for tests of what happens to the programs when that
 * JVM ends badly, and of what it says when it lacks privileges.
 *
 * <p>{@code halt}: stops the JVM without running shutdown hooks. {@code throw}: dies of an
 * uncaught exception. {@code exit-while-waiting}: exits (status 5) while a thread waits on the
 * ring, as a reader does when the JVM ends under it. Exit code 3 and the message on stdout when
 * a requirement is missing.
 */
public final class CollectorProcessMain {
    private CollectorProcessMain() {}

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) {
        KernelCollector collector;
        try {
            collector = KernelCollector.open(
                    CollectorConfig.builder().ringBufferBytes(1 << 20).build());
        } catch (MissingRequirementException e) {
            System.out.println(e.getMessage());
            System.exit(3);
            return;
        }
        System.out.println("attached " + collector.attachedTypes().size() + " types");
        System.out.flush();
        switch (args[0]) {
            case "halt" -> Runtime.getRuntime().halt(7);
            case "throw" -> throw new IllegalStateException("dying with the collector open");
            case "exit-while-waiting" -> {
                Thread.ofPlatform().daemon().start(() -> collector.reader().await(Duration.ofMinutes(1)));
                sleep(500); // in epoll by now
                System.exit(5);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
