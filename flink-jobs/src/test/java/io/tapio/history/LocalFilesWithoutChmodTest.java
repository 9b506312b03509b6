package io.tapio.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.schemas.HistoryTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A commit to the embedded history starts no process: Hadoop's chmod per file is gone. */
class LocalFilesWithoutChmodTest {
    @TempDir
    Path dataDir;

    @Test
    void committingToTheHistoryStartsNoProcessAndKeepsTheFilesReadable() throws Exception {
        HistoryConfig config = HistoryConfig.hadoop(dataDir);
        Path jfr = dataDir.resolve("processes.jfr");
        // Once per process, Hadoop's Shell asks whether setsid exists, a process of its own: not a commit's.
        HistoryTables.ensureAll(config.catalogLoader().loadCatalog());
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ProcessStart");
            recording.start();
            HistoryWrites.benchRuns(
                    config,
                    List.of(new BenchRun(
                            Instant.parse("2026-01-08T12:00:00Z"),
                            "run-1",
                            "node",
                            "idle cpu",
                            "c0ffee",
                            "ci",
                            null,
                            null,
                            null,
                            null,
                            0L,
                            Map.of(),
                            0.5,
                            "percent")));
            recording.stop();
            recording.dump(jfr);
        }
        List<String> started = RecordingFile.readAllEvents(jfr).stream()
                .map((RecordedEvent e) -> e.getString("command"))
                .toList();
        assertEquals(List.of(), started, "processes started while a commit was written");

        List<Path> written;
        try (Stream<Path> files = Files.walk(dataDir.resolve("warehouse"))) {
            written = files.filter(Files::isRegularFile).toList();
        }
        assertTrue(
                written.stream().anyMatch(p -> p.toString().endsWith(".parquet")),
                "a data file was committed: " + written);
        assertTrue(written.stream().anyMatch(p -> p.getFileName().toString().endsWith(".crc")), "checksums kept");
        for (Path file : written) {
            assertEquals(
                    "rw-r--r--",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    "as Hadoop's umask 022 makes it: " + file);
        }
    }
}
