package io.tapio.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.job.SourceSpec;
import io.tapio.status.StatusStore;
import io.tapio.status.TapioStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that fails after it started, again at every restart (here the replay of a file that is
 * no capture, which {@code tapio run} would have refused up front): the run gives up instead of
 * restarting forever, and its status says why, with a hint.
 */
class JobFailureTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aJobFailingAtEveryRestartStopsAndItsMessageIsInTheStatus() throws Exception {
        Path notACapture = Files.writeString(dir.resolve("notes.txt"), "hello\n", StandardCharsets.US_ASCII);
        Path dataDir = dir.resolve("data");
        RunOptions options = RunOptions.unattended(SourceSpec.Replay.asFastAsPossible(notACapture), dataDir);
        String failure;
        try (LocalTapio tapio = LocalTapio.start(options)) {
            while (tapio.jobRunning()) {
                tapio.refresh();
                Thread.sleep(200);
            }
            failure = tapio.failureMessage();
        }
        assertTrue(failure != null && failure.contains("is not a Tapio capture"), "failure: " + failure);

        TapioStatus last = new StatusStore(dataDir).lastStatus().orElseThrow();
        assertFalse(last.health().healthy());
        assertTrue(
                last.health().problems().stream()
                        .anyMatch(p -> p.symptom().equals("the job failed: " + failure)
                                && p.hint().contains("tapio.log")),
                last.health().toString());
    }
}
