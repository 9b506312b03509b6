package io.tapio.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * {@code tapio run} in a process of its own, as a user starts it: ports chosen by the system,
 * its own registry of runs, what it prints kept in files. A test can kill it as the kernel's
 * OOM killer or an operator would, with SIGKILL, and start it again on the same data directory.
 */
final class TapioRun implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;
    private final Path dataDir;

    private TapioRun(Process process, Path out, Path err, Path dataDir) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.dataDir = dataDir;
    }

    /**
     * Starts {@code tapio run --data-dir DATA ARGS}; its output goes to files in {@code logs}
     * named after {@code name}.
     */
    static TapioRun start(Path dataDir, Path logs, String name, String... args) throws IOException {
        Files.createDirectories(logs);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        List<String> command = TapioProcess.withOwnTmp(
                logs, TapioProcess.command(logs.resolve(name + ".log"), arguments(dataDir, args)));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("XDG_RUNTIME_DIR", logs.resolve("runtime").toString());
        return new TapioRun(builder.start(), out, err, dataDir);
    }

    /** {@code run --data-dir DATA ARGS} with the ports chosen by the system. */
    static String[] arguments(Path dataDir, String... args) {
        List<String> command = new ArrayList<>(List.of(
                "run",
                "--data-dir",
                dataDir.toString(),
                "--ui-port",
                "0",
                "--metrics-port",
                "0",
                "--status-port",
                "0"));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    /** Waits until the job has completed a checkpoint (its metadata written), which is then on disk for a restart. */
    void awaitCompletedCheckpoint(Duration timeout) throws Exception {
        await("a completed checkpoint in " + dataDir, timeout, this::hasCompletedCheckpoint);
    }

    private boolean hasCompletedCheckpoint() {
        Path checkpoints = dataDir.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (Stream<Path> files = Files.find(
                checkpoints,
                3,
                (path, attributes) -> path.getFileName().toString().equals("_metadata")
                        && path.getParent().getFileName().toString().startsWith("chk-"))) {
            return files.findAny().isPresent();
        } catch (IOException | UncheckedIOException e) {
            return false; // a checkpoint removed while listed
        }
    }

    /** Waits for {@code condition} while the run runs; fails with what it printed when it stops or time is up. */
    void await(String what, Duration timeout, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "tapio run stopped (status " + process.exitValue() + ") before " + what + ":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /** SIGKILL: the JVM ends at once, nothing of it runs any more (no shutdown hook, no cancel). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("tapio run outlived SIGKILL");
        }
    }

    /** SIGTERM, as Ctrl-C: the run stops its job and writes its final status. */
    int stop() throws InterruptedException {
        process.destroy();
        return awaitExit(Duration.ofSeconds(60));
    }

    /** Waits until the run ends by itself (a replay that was read to its end); its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("tapio run did not end within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Whether {@code line} is the one where a run says that it resumed from a checkpoint. */
    static boolean saysItResumed(String line) {
        return line.startsWith("Resumed from checkpoint ");
    }

    String out() {
        return read(out);
    }

    String output() {
        return read(out) + read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
