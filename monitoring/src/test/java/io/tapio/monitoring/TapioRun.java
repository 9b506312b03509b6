package io.tapio.monitoring;

import io.tapio.cli.Tapio;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * {@code tapio run} in this JVM, as the command line runs it, on a thread of its own: Prometheus
 * scrapes its metrics endpoint. What it prints is kept for the failure messages.
 */
final class TapioRun implements AutoCloseable {
    private final StringWriter output = new StringWriter();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;

    private TapioRun(String... args) {
        thread = Thread.ofPlatform().name("tapio-run").start(() -> {
            CommandLine cli = new CommandLine(new Tapio());
            cli.setOut(new PrintWriter(output, true));
            cli.setErr(new PrintWriter(output, true));
            exit.complete(cli.execute(args));
        });
    }

    /** Starts {@code tapio run args...}. */
    static TapioRun start(String... args) {
        String[] run = new String[args.length + 1];
        run[0] = "run";
        System.arraycopy(args, 0, run, 1, args.length);
        return new TapioRun(run);
    }

    /** Fails the test when the run has ended before it should have. */
    void requireRunning() throws Exception {
        if (exit.isDone()) {
            throw new AssertionError("tapio run ended early (" + exit.get() + "): " + output);
        }
    }

    String output() {
        return output.toString();
    }

    /** The exit status, once the run has ended (after {@link #close}, within 90 s). */
    int exitStatus() throws Exception {
        return exit.get(90, TimeUnit.SECONDS);
    }

    /** Stops it as Ctrl-C does, once. */
    @Override
    public void close() {
        thread.interrupt();
    }
}
