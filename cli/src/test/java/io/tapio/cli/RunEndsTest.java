package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapio.cli.TapioProcess.Exit;
import io.tapio.ebpf.capture.CaptureFormatException;
import io.tapio.ebpf.capture.CaptureReader;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code tapio run} ends, in a process of its own as a user starts it, and what the user
 * then sees: its exit status, its final summary, and a plain {@code tapio check}.
 */
class RunEndsTest {
    private static final String HINT =
            "fix what the message says and start it again; the whole trace is in .tapio/tapio.log";

    @TempDir
    Path dir;

    /**
     * The capture is whole when the run starts (so it is not refused), then damaged in its
     * second half while it is replayed at recorded speed, before the reader gets there, as a
     * {@code tapio record --out} over the same file would. Every restart fails at the same
     * record: {@code tapio check} shows the restarts while they go on, and then the run gives up.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aJobThatFailsAfterItStartedRestartsVisiblyThenEndsWithExitStatusOneAndItsMessageInTheSummaryAndInCheck()
            throws Exception {
        Path capture = dir.resolve("capture.tcap");
        Captures.synthetic(capture, Duration.ofSeconds(20), 2_000);
        String failure;
        Exit run;
        try (TapioProcess tapio = TapioProcess.startRun(
                dir,
                "--source",
                "replay:" + capture,
                "--replay-speed",
                "1x",
                "--checkpoint-interval",
                "3s",
                "--duration",
                "3m")) {
            tapio.awaitOutput("Tapio is running", Duration.ofSeconds(90));
            damageAt(capture, Files.size(capture) / 2);
            failure = assertThrows(CaptureFormatException.class, () -> CaptureReader.verify(capture))
                    .getMessage();
            String restarting = awaitRestartingProblem(tapio);
            assertTrue(restarting.contains("gives up after 3 failures within 60 s"), restarting);
            run = tapio.await(Duration.ofMinutes(3));
        }

        assertEquals(RunCommand.JOB_FAILED, run.status(), run.toString());
        assertEquals("tapio: the job failed: " + failure, run.err().strip(), "one line, the trace in the log");
        String summary = finalSummary(run);
        assertTrue(summary.contains("NEEDS ATTENTION"), summary);
        assertTrue(summary.contains("problem    the job failed: " + failure + "\n           -> " + HINT), summary);

        Exit check = TapioProcess.exec(dir, "check");
        assertEquals(CheckCommand.UNHEALTHY, check.status(), check.toString());
        assertTrue(
                check.out().contains("problem    the job failed: " + failure + "\n           -> " + HINT), check.out());

        Exit json = TapioProcess.exec(dir, "check", "--json");
        assertEquals(CheckCommand.UNHEALTHY, json.status(), json.toString());
        JsonNode health = TapioProcess.JSON.readTree(json.out()).get("health");
        assertEquals(false, health.get("healthy").asBoolean());
        assertTrue(problems(health).contains("the job failed: " + failure + " -> " + HINT), health.toString());
    }

    /** A replay that comes to the end of its capture is a run that is done: exit status 0. */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aReplayThatComesToTheEndOfItsCaptureEndsWithExitStatusZeroAndItsSummary() throws Exception {
        Path capture = dir.resolve("capture.tcap");
        long events = Captures.synthetic(capture, Duration.ofSeconds(2), 2_000);
        Exit run;
        try (TapioProcess tapio = TapioProcess.startRun(dir, "--source", "replay:" + capture, "--duration", "10m")) {
            run = tapio.await(Duration.ofMinutes(3));
        }

        assertEquals(0, run.status(), run.toString());
        assertEquals("", run.err().strip(), "nothing went wrong");
        String summary = finalSummary(run);
        assertTrue(summary.contains(String.format("processed  %,d events since the start", events)), summary);
        assertTrue(!summary.contains("the job failed"), summary);
    }

    /** The restart loop as {@code tapio check --json} shows it while the run goes on. */
    private String awaitRestartingProblem(TapioProcess tapio) throws Exception {
        while (tapio.alive()) {
            Exit check = TapioProcess.exec(dir, "check", "--json");
            if (check.status() == CheckCommand.UNHEALTHY) {
                for (String problem :
                        problems(TapioProcess.JSON.readTree(check.out()).get("health"))) {
                    if (problem.startsWith("the job restarted after a failure ")) {
                        return problem;
                    }
                }
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("tapio check never showed the job restarting before the run ended: " + tapio.out());
    }

    private static String finalSummary(Exit run) {
        String marker = "Tapio stopped. Final summary:";
        int at = run.out().indexOf(marker);
        assertTrue(at >= 0, "a final summary: " + run.out());
        return run.out().substring(at);
    }

    private static List<String> problems(JsonNode health) {
        List<String> problems = new ArrayList<>();
        health.get("problems")
                .forEach(p -> problems.add(
                        p.get("symptom").asText() + " -> " + p.get("hint").asText()));
        return problems;
    }

    /** Flips a bit in place: the file keeps its inode, so the reader that has it open reads the damage. */
    private static void damageAt(Path file, long offset) throws Exception {
        try (RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw")) {
            bytes.seek(offset);
            int b = bytes.read();
            bytes.seek(offset);
            bytes.write(b ^ 0x10);
        }
    }
}
