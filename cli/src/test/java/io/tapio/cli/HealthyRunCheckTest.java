package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void checkOfAHealthyRunSaysHealthyAndExitsZero() throws Exception {
        try (TapioProcess ignored = TapioProcess.startRun(
                dir, "--source", "synthetic", "--synthetic-rate", "200", "--duration", "2m", "--no-history")) {
            Exit json = TapioProcess.awaitCheck(
                    dir,
                    Duration.ofSeconds(90),
                    status -> status.get("running").asBoolean()
                            && status.at("/eventsPerSecond/total").asDouble() > 0
                            && status.at("/latency/samples").asLong() > 0);
            assertEquals(CheckCommand.HEALTHY, json.status(), json.toString());
            JsonNode status = TapioProcess.JSON.readTree(json.out());
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
}
