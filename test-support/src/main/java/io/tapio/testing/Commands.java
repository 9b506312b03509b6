package io.tapio.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs real commands for tests, bounded in time. */
public final class Commands {
    private Commands() {}

    /** A finished command: its pid, exit code and output. */
    public record Result(long pid, int exitCode, String output) {}

    public static Result run(String... command) {
        return run(List.of(command));
    }

    public static Result run(List<String> command) {
        Process process = start(command);
        // Read while it runs: a command that fills the pipe would otherwise never finish.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process));
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 60 s");
            }
            return new Result(process.pid(), process.exitValue(), output.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs a command that must succeed, and returns its output. */
    public static String check(String... command) {
        Result result = run(command);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " exited with " + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    private static String read(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Process start(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }
}
