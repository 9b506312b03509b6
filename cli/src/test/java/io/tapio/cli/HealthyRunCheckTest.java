package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapio.cli.TapioProcess.Exit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A healthy run, checked as a user checks it: {@code tapio run} in a process of its own, then a
 * plain {@code tapio check} while events flow, which says HEALTHY and exits 0, on the screen
 * and in {@code --json}. The run is a quiet node's: a few hundred events a second, no injected
 * fault (the p99 rule needs 1,000 events in an interval, which a loaded 2-vCPU test machine
 * could push over 5 ms: that would be a true problem, not a healthy run).
 */
class HealthyRunCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void checkOfAHealthyRunSaysHealthyAndExitsZero() throws Exception {
        try (TapioProcess run = TapioProcess.start(
                dir,
                "run",
                "--source",
                "synthetic",
                "--synthetic-rate",
                "200",
                "--duration",
                "2m",
                "--no-history",
                "--ui-port",
                "0",
                "--metrics-port",
                "0",
                "--status-port",
                "0")) {
            Exit json = awaitEventsFlowing();
            assertEquals(CheckCommand.HEALTHY, json.status(), json.toString());
            JsonNode status = JSON.readTree(json.out());
            assertTrue(status.at("/health/healthy").asBoolean(), json.out());
            assertTrue(status.at("/health/problems").isEmpty(), json.out());
            assertTrue(status.at("/latency/p99").isNumber(), "latency measured: " + json.out());

            Exit screen = TapioProcess.exec(dir, "check");
            assertEquals(CheckCommand.HEALTHY, screen.status(), screen.toString());
            String first = screen.out().lines().findFirst().orElse("");
            assertTrue(first.contains(": running (source synthetic") && first.endsWith("HEALTHY"), screen.out());
            assertTrue(!screen.out().contains("problem"), screen.out());
        }
    }

    /** {@code tapio check --json} once the run has events in its last interval. */
    private Exit awaitEventsFlowing() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Exit check;
        do {
            check = TapioProcess.exec(dir, "check", "--json");
            if (check.status() != CheckCommand.CANNOT_TELL) {
                JsonNode status = JSON.readTree(check.out());
                if (status.get("running").asBoolean()
                        && status.at("/eventsPerSecond/total").asDouble() > 0
                        && status.at("/latency/samples").asLong() > 0) {
                    return check;
                }
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("tapio check never saw the run with events: " + check);
    }
}
