package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.cli.TapioProcess.Exit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void checkWithoutDataDirFindsARunStartedWithAnother() throws Exception {
        Path elsewhere = dir.resolve("elsewhere");
        try (TapioProcess run = TapioProcess.startRun(
                dir,
                "--source",
                "synthetic",
                "--duration",
                "90s",
                "--no-history",
                "--data-dir",
                elsewhere.toString())) {
            Exit check = TapioProcess.awaitCheck(
                    dir, Duration.ofSeconds(90), status -> status.get("running").asBoolean());
            assertEquals(
                    "synthetic",
                    TapioProcess.JSON.readTree(check.out()).get("source").asText());
            assertFalse(Files.exists(dir.resolve("runtime/tapio/sql")), "a run without --sql serves no SQL");

            Exit other = TapioProcess.exec(
                    dir, "check", "--data-dir", dir.resolve("other").toString());
            assertEquals(CheckCommand.CANNOT_TELL, other.status(), other.toString());
            assertTrue(
                    other.err()
                            .contains("pid " + run.pid() + ": ./tapio check --data-dir " + elsewhere.toAbsolutePath()),
                    other.err());
        }
        try (var left = Files.list(dir.resolve("runtime/tapio"))) {
            assertEquals(0, left.count(), "a stopped run leaves nothing in the registry");
        }
    }
}
