package io.tapio.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.export.FindingExports;
import io.tapio.job.SourceSpec;
import io.tapio.local.RetainedCheckpoints.Checkpoint;
import io.tapio.rollup.RegressionConfig;
import io.tapio.status.TapioStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of {@code LocalTapio} leaves its last checkpoint in its data directory, and the next run
 * of the same job resumes it; what cannot be resumed (another source, a damaged checkpoint) is
 * refused before anything starts, with {@code --fresh} as the way out. One real run makes the
 * checkpoint; each test works on a copy of its data directory.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ResumeTest {
    private static final long RATE = 2_000;
    private static final SourceSpec SYNTHETIC = new SourceSpec.Synthetic(
            SyntheticConfig.builder().seed(3).eventsPerSecond(RATE).build(), Long.MAX_VALUE, true);
    /** Long enough that a resumed paced source waiting out this run's time would show. */
    private static final Duration FIRST_RUN = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static Path checkpointed;
    private static Checkpoint last;

    @BeforeAll
    static void aRunThatCheckpointed() throws Exception {
        checkpointed = dir.resolve("checkpointed");
        try (LocalTapio tapio = LocalTapio.start(options(SYNTHETIC, checkpointed, false))) {
            assertTrue(tapio.resumedFrom().isEmpty(), "nothing to resume in a new data directory");
            long deadline = System.nanoTime() + FIRST_RUN.toNanos();
            while (System.nanoTime() < deadline
                    || new RetainedCheckpoints(checkpointed).newest().isEmpty()) {
                assertTrue(tapio.jobRunning(), tapio.failureMessage());
                Thread.sleep(200);
            }
        }
        last = new RetainedCheckpoints(checkpointed).newest().orElseThrow();
    }

    @Test
    void theNextRunOfTheSameJobResumesTheLastCheckpointAndItsSourceGoesOn() throws Exception {
        Path data = copy("same");
        try (LocalTapio tapio = LocalTapio.start(options(SYNTHETIC, data, false))) {
            Checkpoint from = tapio.resumedFrom().orElseThrow();
            assertEquals(last.id(), from.id());
            assertEquals(last.completedAt(), from.completedAt());
            TapioStatus started = tapio.refresh();
            assertTrue(
                    started.health().notes().stream()
                            .anyMatch(n -> n.startsWith("resumed from checkpoint " + last.id() + " of ")),
                    started.health().notes().toString());
            CannotResumeException second =
                    assertThrows(CannotResumeException.class, () -> LocalTapio.start(options(SYNTHETIC, data, false)));
            assertTrue(
                    second.getMessage()
                            .startsWith("another tapio run (pid "
                                    + ProcessHandle.current().pid() + ")"),
                    "one run at a time per data directory: " + second.getMessage());
            // The restored paced source generates from now on, not from where the first run's clock
            // was (which would keep it waiting as long as the first run ran): a second's worth of
            // events comes well within half of that.
            long deadline = System.nanoTime() + FIRST_RUN.toNanos() / 2;
            while (tapio.refresh().eventsProcessed() < started.eventsProcessed() + RATE) {
                assertTrue(System.nanoTime() < deadline, "hardly any events since the resume");
                assertTrue(tapio.jobRunning(), tapio.failureMessage());
                Thread.sleep(200);
            }
        }
    }

    @Test
    void anotherSourceIsRefusedBeforeAnythingStartsWithTheWayOut() throws Exception {
        Path data = copy("other");
        List<Path> before = jobDirectories(data);
        CannotResumeException refused = assertThrows(
                CannotResumeException.class,
                () -> LocalTapio.start(
                        options(SourceSpec.Replay.asFastAsPossible(dir.resolve("x.tcap")), data, false)));
        assertTrue(refused.getMessage().contains("read synthetic, this one would read replay:"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--fresh"), refused.getMessage());
        assertEquals(before, jobDirectories(data), "the checkpoints are as they were");
    }

    @Test
    void freshStartsOverAndRemovesTheEarlierCheckpoints() throws Exception {
        Path data = copy("fresh");
        try (LocalTapio tapio = LocalTapio.start(options(SYNTHETIC, data, true))) {
            assertTrue(tapio.resumedFrom().isEmpty());
            Path earlier =
                    data.resolve("checkpoints").resolve(last.path().getParent().getFileName());
            assertFalse(Files.exists(earlier), "the earlier run's checkpoints are gone");
            assertEquals(1, jobDirectories(data).size(), "only the new job's");
        }
    }

    @Test
    void aCheckpointWithoutItsMetadataIsNotCompletedAndIsSkipped() throws Exception {
        Path data = copy("half-written");
        Path jobDir =
                data.resolve("checkpoints").resolve(last.path().getParent().getFileName());
        Path halfWritten = Files.createDirectories(jobDir.resolve("chk-" + (last.id() + 1)));
        Files.writeString(halfWritten.resolve("some-operator-state"), "written before the kill");

        Checkpoint resumed = new RetainedCheckpoints(data)
                .resumePoint(JobIdentity.of(SYNTHETIC, null), false)
                .orElseThrow();
        assertEquals(last.id(), resumed.id());
    }

    @Test
    void aDamagedCheckpointIsRefusedWithTheWayOutRatherThanFailingTheJobAgainAndAgain() throws Exception {
        Path data = copy("damaged");
        Path metadata = data.resolve("checkpoints")
                .resolve(last.path().getParent().getFileName())
                .resolve(last.path().getFileName())
                .resolve("_metadata");
        byte[] bytes = Files.readAllBytes(metadata);
        Files.write(metadata, Arrays.copyOf(bytes, bytes.length / 2));

        CannotResumeException refused =
                assertThrows(CannotResumeException.class, () -> LocalTapio.start(options(SYNTHETIC, data, false)));
        assertTrue(refused.getMessage().contains(metadata.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("cannot be read"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--fresh"), refused.getMessage());

        try (LocalTapio tapio = LocalTapio.start(options(SYNTHETIC, data, true))) {
            assertTrue(tapio.jobRunning(), "--fresh is the way out");
        }
    }

    @Test
    void aCheckpointWhoseStateIsGoneFailsTheJobWithTheWayOutAndNoRestartLoop() throws Exception {
        Path data = copy("state-gone");
        Path checkpoint = data.resolve("checkpoints")
                .resolve(last.path().getParent().getFileName())
                .resolve(last.path().getFileName());
        try (Stream<Path> files = Files.list(checkpoint)) {
            List<Path> state = files.filter(f -> !f.getFileName().toString().equals("_metadata"))
                    .toList();
            assertFalse(state.isEmpty(), "the checkpoint keeps state files beside its metadata");
            for (Path file : state) {
                Files.delete(file);
            }
        }
        String failure;
        try (LocalTapio tapio = LocalTapio.start(options(SYNTHETIC, data, false))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (tapio.jobRunning()) {
                assertTrue(System.nanoTime() < deadline, "the job gave up restoring");
                tapio.refresh();
                Thread.sleep(200);
            }
            failure = tapio.failureMessage();
        }
        assertTrue(
                failure != null && failure.contains("resumed from " + checkpoint) && failure.contains("--fresh"),
                "failure: " + failure);
    }

    private static RunOptions options(SourceSpec source, Path dataDir, boolean fresh) {
        return new RunOptions(
                source,
                null,
                dataDir,
                0,
                0,
                0,
                null,
                Duration.ofMillis(500),
                CorrelationConfig.defaults(),
                RegressionConfig.defaults(),
                null,
                FindingExports.NONE,
                fresh);
    }

    private static Path copy(String name) throws IOException {
        Path target = dir.resolve(name);
        try (Stream<Path> files = Files.walk(checkpointed)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(checkpointed.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    private static List<Path> jobDirectories(Path data) throws IOException {
        try (Stream<Path> jobs = Files.list(data.resolve("checkpoints"))) {
            return jobs.map(Path::getFileName).sorted().toList();
        }
    }
}
