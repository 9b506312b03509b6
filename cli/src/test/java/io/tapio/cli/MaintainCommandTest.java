package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.history.BenchRun;
import io.tapio.history.HistoryConfig;
import io.tapio.history.HistoryWrites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tapio maintain} on a table that commits left in small files, with orphans beside them. */
class MaintainCommandTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @TempDir
    Path dataDir;

    @Test
    void compactsExpiresAndRemovesOnlyOldOrphansWithoutLosingARow() throws Exception {
        HistoryConfig config = HistoryConfig.hadoop(dataDir);
        for (int commit = 0; commit < 3; commit++) {
            HistoryWrites.benchRuns(config, List.of(run(commit, "a"), run(commit, "b")));
        }
        Path data = dataDir.resolve("warehouse/history/bench_runs/data");
        List<Path> small = parquetFiles(data);
        assertEquals(3, small.size());
        Path oldOrphan = Files.copy(small.getFirst(), data.resolve("left-by-a-failed-writer.parquet"));
        Files.setLastModifiedTime(oldOrphan, FileTime.from(Instant.now().minus(Duration.ofDays(10))));
        Path freshOrphan = Files.copy(small.getFirst(), data.resolve("a-running-writers-next-commit.parquet"));

        String first = tapio(
                "maintain",
                "--tables",
                "bench_runs",
                "--snapshot-age",
                "0s",
                "--retain-last",
                "1",
                "--orphan-age",
                "1d");
        assertTrue(first.lines().anyMatch(l -> l.matches("bench_runs +3 +1 +3 +3 +1")), first);
        assertFalse(Files.exists(oldOrphan), "an orphan older than --orphan-age is removed");
        assertTrue(Files.exists(freshOrphan), "a younger one may be a running writer's: it stays");

        // The small files go once the snapshot that replaced them expires, after the writer's next commit.
        HistoryWrites.benchRuns(config, List.of(run(3, "a"), run(3, "b")));
        String second = tapio(
                "maintain",
                "--tables",
                "bench_runs",
                "--snapshot-age",
                "0s",
                "--retain-last",
                "1",
                "--orphan-age",
                "1d");
        assertTrue(second.lines().anyMatch(l -> l.matches("bench_runs +2 +1 +2 +2 +0")), second);
        assertTrue(small.stream().noneMatch(Files::exists), "the small files are gone: " + parquetFiles(data));
        assertEquals(
                List.of("n,runs", "8,4"),
                tapio(
                                "sql",
                                "SELECT COUNT(*) AS n, COUNT(DISTINCT run_id) AS runs " + "FROM bench_runs",
                                "--format",
                                "csv")
                        .lines()
                        .toList(),
                "not a row lost or doubled");
    }

    private String tapio(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setOut(new PrintWriter(out));
        String[] all = Stream.concat(Stream.of(args), Stream.of("--data-dir", dataDir.toString()))
                .toArray(String[]::new);
        assertEquals(0, cli.execute(all), out.toString());
        return out.toString();
    }

    private static BenchRun run(int i, String caseName) {
        return new BenchRun(
                Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(i)),
                "run-" + i,
                "job",
                caseName,
                null,
                "ci",
                1e6,
                null,
                3e-4,
                null,
                0L,
                Map.of());
    }

    private static List<Path> parquetFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }
}
