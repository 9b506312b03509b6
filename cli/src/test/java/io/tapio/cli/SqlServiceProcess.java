package io.tapio.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tapio sql --serve} in a JVM of its own, registered in a registry of the test's ({@code
 * XDG_RUNTIME_DIR}), so that the clients started with the same environment find it and nothing
 * else does.
 */
record SqlServiceProcess(Process process, int port) implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+) ");

    /** Starts one over {@code dataDir}, on any free port, and waits until it serves. */
    static SqlServiceProcess start(Path dataDir, Path runtime, Path work) throws Exception {
        Path out = Files.createTempFile(work, "service", ".out");
        Path err = Files.createTempFile(work, "service", ".err");
        ProcessBuilder builder = new ProcessBuilder(
                TapioProcess.command("sql", "--serve", "--port", "0", "--data-dir", dataDir.toString()));
        builder.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        Matcher serving;
        while (!(serving = SERVING.matcher(Files.readString(out))).find()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("tapio sql --serve did not serve: " + Files.readString(err));
            }
            Thread.sleep(200);
        }
        return new SqlServiceProcess(process, Integer.parseInt(serving.group(1)));
    }

    /** The addresses it listens on. */
    List<String> listening() throws Exception {
        return Listeners.of(process.pid());
    }

    /** Stops it as Ctrl-C does, or for good when it does not stop. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
