package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapio.cli.TapioProcess.Exit;
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

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void checkWithoutDataDirFindsARunStartedWithAnother() throws Exception {
        Path elsewhere = dir.resolve("elsewhere");
        try (TapioProcess run = TapioProcess.start(
                dir,
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
                "0")) {
            Exit check = awaitRunning();
            assertEquals("synthetic", JSON.readTree(check.out()).get("source").asText());

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

    private Exit awaitRunning() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Exit check;
        do {
            check = TapioProcess.exec(dir, "check", "--json");
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
}
