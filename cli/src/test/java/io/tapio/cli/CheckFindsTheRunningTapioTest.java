package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapio run --data-dir X}, then a plain {@code tapio check}, each in a process of its
 * own as a user types them: check finds the run although X is not its default data
 * directory, and with another {@code --data-dir} it says which one runs.
 */
class CheckFindsTheRunningTapioTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Exit(int status, String out, String err) {}

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void checkWithoutDataDirFindsARunStartedWithAnother() throws Exception {
        Path elsewhere = dir.resolve("elsewhere");
        Process run = start(
                "run",
                "--source",
                "synthetic",
                "--duration",
                "90s",
                "--no-history",
                "--data-dir",
                elsewhere.toString(),
                "--ui-port",
                "0",
                "--metrics-port",
                "0",
                "--status-port",
                "0");
        try {
            Exit check = awaitRunning();
            assertEquals("synthetic", JSON.readTree(check.out()).get("source").asText());
            assertFalse(Files.exists(dir.resolve("runtime/tapio/sql")), "a run without --sql serves no SQL");

            Exit other = exec("check", "--data-dir", dir.resolve("other").toString());
            assertEquals(CheckCommand.CANNOT_TELL, other.status(), other.toString());
            assertTrue(
                    other.err()
                            .contains("pid " + run.pid() + ": ./tapio check --data-dir " + elsewhere.toAbsolutePath()),
                    other.err());
        } finally {
            run.destroy();
            run.waitFor(60, TimeUnit.SECONDS);
            run.destroyForcibly().waitFor();
        }
        try (var left = Files.list(dir.resolve("runtime/tapio"))) {
            assertEquals(0, left.count(), "a stopped run leaves nothing in the registry");
        }
    }

    private Exit awaitRunning() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Exit check;
        do {
            check = exec("check", "--json");
            if (check.status() != CheckCommand.CANNOT_TELL) {
                JsonNode status = JSON.readTree(check.out());
                if (status.get("running").asBoolean()) {
                    return check;
                }
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("tapio check never found the run: " + check);
    }

    private Exit exec(String... args) throws Exception {
        Process process = start(args);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("tapio " + String.join(" ", args) + " did not end");
        }
        return new Exit(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes()),
                Files.readString(dir.resolve("err-" + process.pid())));
    }

    /** The CLI in a new JVM, with its own default data directory and its own registry of runs. */
    private Process start(String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(TapioProcess.command(args));
        builder.environment().put("TAPIO_HOME", dir.resolve("home").toString());
        builder.environment().put("XDG_RUNTIME_DIR", dir.resolve("runtime").toString());
        Path err = Files.createTempFile(dir, "err", "");
        Process process = builder.redirectError(err.toFile()).start();
        Files.move(err, dir.resolve("err-" + process.pid()));
        return process;
    }
}
