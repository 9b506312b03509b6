package io.tapio.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or SIGTERM) for a command that runs until stopped. The JVM's shutdown waits until
 * the command has wound down and closed this (a complete capture file, the last Kafka
 * acknowledgements, a final summary), so that stopping early loses nothing. Open it in a
 * try-with-resources around the command's work.
 */
final class CtrlC implements AutoCloseable {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    /** @param onRequest what else Ctrl-C does (e.g. interrupt a thread that sleeps) */
    CtrlC(String command, Runnable onRequest) {
        hook = new Thread(
                () -> {
                    requested.countDown();
                    onRequest.run();
                    try {
                        finished.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "tapio-" + command + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    CtrlC(String command) {
        this(command, () -> {});
    }

    /** Whether Ctrl-C came. */
    boolean requested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code nanos} for Ctrl-C; whether it came. */
    boolean await(long nanos) throws InterruptedException {
        return requested.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The command has wound down: a waiting shutdown goes on; otherwise Ctrl-C is the JVM's again. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running, and now finishes
        }
    }
}
