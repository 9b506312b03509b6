package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.CaptureWriter;
import io.tapio.status.StatusStore;
import io.tapio.status.TapioStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapio run --source replay:FILE} killed with SIGKILL after it committed a checkpoint,
 * then started again on the same data directory, as a user would after an OOM kill or a
 * crashed node: the second run resumes the replay where the last checkpoint left it, with the
 * correlator's and the detector's state, and the history ends exactly as that of a run that was
 * never killed: every row of findings, rollups, regressions and events once. The killed run
 * replays at 120 times the recorded speed (the timeline's 93 minutes take 46 s), so that it is
 * killed midway however fast the job is; the others go as fast as they can, and the history
 * cannot tell the speeds apart.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ReplayResumesAfterKillTest {
    private static final Duration RUN = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    @Test
    void aReplayKilledAfterACheckpointResumesAndTheHistoryIsThatOfARunNeverKilled() throws Exception {
        Path capture = capture();
        String[] replay = {"--source", "replay:" + capture, "--checkpoint-interval", "1s"};
        String[] paced = {"--source", "replay:" + capture, "--checkpoint-interval", "1s", "--replay-speed", "120x"};
        Path logs = dir.resolve("logs");

        Path whole = dir.resolve("never-killed");
        try (TapioRun run = TapioRun.start(whole, logs, "never-killed", replay)) {
            run.awaitExit(RUN);
            assertFinishedWithoutFailure(whole, run);
        }
        HistoryRows expected = new HistoryRows(whole);

        Path data = dir.resolve("killed");
        HistoryRows history = new HistoryRows(data);
        try (TapioRun first = TapioRun.start(data, logs, "first", paced)) {
            first.awaitCompletedCheckpoint(RUN);
            first.await("events committed to the history", RUN, () -> history.count("events") > 0);
            first.kill();
        }
        long committedBeforeTheKill = history.count("events");
        assertTrue(
                committedBeforeTheKill < expected.count("events"),
                "killed midway: " + committedBeforeTheKill + " of " + expected.count("events") + " events committed");

        try (TapioRun other = TapioRun.start(data, logs, "other-source", "--source", "synthetic")) {
            assertEquals(Tapio.CANNOT_RUN, other.awaitExit(RUN), other.output());
            assertTrue(other.output().contains("this one would read synthetic"), other.output());
            assertTrue(other.output().contains("--fresh"), other.output());
        }

        String resumed;
        try (TapioRun second = TapioRun.start(data, logs, "second", replay)) {
            second.awaitExit(RUN);
            assertFinishedWithoutFailure(data, second);
            resumed = second.output();
        }
        HistoryRows.assertSameRows(expected, history);
        assertTrue(resumed.lines().anyMatch(TapioRun::saysItResumed), "one line says where it resumed:\n" + resumed);
        System.out.printf(
                "killed after %d of %d events were committed; then the history held %s%n",
                committedBeforeTheKill, expected.count("events"), history.counts());
    }

    /** The incidents, as {@code tapio record} would have written them. */
    private Path capture() throws Exception {
        Path file = dir.resolve("incidents.tcap");
        long startEpochNs = Instant.parse("2026-11-02T08:00:00Z").toEpochMilli() * 1_000_000;
        try (CaptureWriter writer =
                CaptureWriter.create(file, "node-replayed", startEpochNs, IncidentTimeline.START_NS)) {
            for (KernelEvent event : IncidentTimeline.events()) {
                writer.write(event);
            }
        }
        return file;
    }

    private static void assertFinishedWithoutFailure(Path data, TapioRun run) throws Exception {
        TapioStatus last = new StatusStore(data).lastStatus().orElseThrow();
        assertTrue(
                last.health().problems().stream().noneMatch(p -> p.symptom().startsWith("the job failed")),
                last.health() + "\n" + run.output());
    }
}
