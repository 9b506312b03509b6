package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapio.history.HistoryConfig;
import io.tapio.history.HistoryFixture;
import io.tapio.schemas.HistoryTables;
import io.tapio.schemas.TableDefinition;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tapio sql} and {@code tapio regress} over a history on disk with a known story. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HistoryCommandsTest {
    /** One cluster for the class: each statement would otherwise start its own. */
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void fillHistory() throws Exception {
        HistoryFixture.write(HistoryConfig.hadoop(dataDir));
    }

    record Run(int exit, String out, String err) {}

    static Run tapio(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = dataDir.toString();
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    @Test
    @Order(1)
    void sqlAnswersInEachFormat() throws Exception {
        String query = "SELECT owner_name, COUNT(*) AS findings FROM findings GROUP BY owner_name ORDER BY owner_name";
        Run csv = tapio("sql", query, "--format", "csv");
        assertEquals(0, csv.exit(), csv.err());
        assertEquals(
                List.of("owner_name,findings", "cart,8", "checkout,24"),
                csv.out().lines().toList());

        Run table = tapio("sql", query);
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().matches("(?s)owner_name +findings\ncart +8\ncheckout +24\n\\(2 rows\\)\n"), table.out());

        Run json = tapio(
                "sql",
                "SELECT started_at, throughput, parameters FROM bench_runs WHERE case_name = '100000/s' "
                        + "ORDER BY started_at DESC LIMIT 1",
                "--format",
                "json");
        assertEquals(0, json.exit(), json.err());
        JsonNode latest = new ObjectMapper().readTree(json.out()).get(0);
        assertEquals("2026-01-08T12:00:00Z", latest.get("started_at").asText());
        assertEquals(800_000.0, latest.get("throughput").asDouble());
        assertEquals("10", latest.get("parameters").get("step-seconds").asText());
    }

    @Test
    @Order(2)
    void theShellRunsStatementsOverLinesGoesOnAfterAnErrorAndStopsAtQ() {
        String typed = String.join(
                "\n",
                "SELECT owner_name, COUNT(*) AS findings",
                "FROM findings GROUP BY owner_name ORDER BY owner_name;",
                "SELECT * FROMM findings;",
                "SELECT COUNT(*) AS n FROM findings WHERE owner_name = 'cart';",
                "\\q",
                "SELECT 'after quit';");
        java.io.InputStream stdin = System.in;
        Run shell;
        try {
            System.setIn(new java.io.ByteArrayInputStream(typed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            shell = tapio("sql", "--format", "csv");
        } finally {
            System.setIn(stdin);
        }
        assertEquals(0, shell.exit(), shell.err());
        assertEquals(
                List.of("owner_name,findings", "cart,8", "checkout,24", "n", "8"),
                shell.out().lines().toList());
        assertTrue(shell.err().contains("tapio sql: SQL parse failed."), shell.err());
        assertTrue(shell.err().contains("    -> "), "a statement without ';' continues: " + shell.err());
    }

    @Test
    @Order(3)
    void aDataDirWithoutHistoryGetsAMessageNotAStackTrace(@TempDir Path empty) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("sql", "SHOW TABLES", "--data-dir", empty.toString());
        assertEquals(Tapio.CANNOT_RUN, exit);
        assertTrue(err.toString().startsWith("tapio sql: no history in " + empty), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
    }

    @Test
    @Order(3)
    void aMissingCatalogFileIsNamedInOneLine(@TempDir Path dir) {
        Path missing = dir.resolve("catalog.properties");
        Run run = tapio("sql", "SHOW TABLES", "--catalog", missing.toString());
        assertEquals(Tapio.CANNOT_RUN, run.exit());
        assertEquals(
                "tapio: cannot read the catalog properties " + missing + ": no such file",
                run.err().strip());
    }

    @Test
    @Order(3)
    void aBadQueryGetsTheParsersMessageNotAStackTrace() {
        Run bad = tapio("sql", "SELECT * FROMM findings");
        assertEquals(Tapio.CANNOT_RUN, bad.exit());
        assertTrue(
                bad.err().startsWith("tapio sql: SQL parse failed. Encountered \"findings\" at line 1, column 16."),
                bad.err());
        assertFalse(bad.err().contains("\tat "), "no stack trace: " + bad.err());

        Run unknown = tapio("sql", "SELECT * FROM nope");
        assertEquals(Tapio.CANNOT_RUN, unknown.exit());
        assertTrue(unknown.err().contains("Object 'nope' not found"), unknown.err());
    }

    @Test
    @Order(3)
    void regressFindsTheWorkloadAndTheBenchmarkThatGotWorseAndRecordsThemOnce() {
        String at = HistoryFixture.END.toString();
        Run run = tapio("regress", "--window", "1h", "--baseline", "7d", "--threshold", "10%", "--at", at);
        assertEquals(RegressCommand.REGRESSED, run.exit(), run.out() + run.err());
        assertEquals("", run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(
                lines.getFirst().contains("3 workloads compared")
                        && lines.getFirst().contains("3 cases compared"),
                run.out());
        assertTrue(
                lines.stream()
                        .anyMatch(l -> l.matches(HistoryFixture.REGRESSED
                                + " +runq_latency_p99 +0\\.00\\d+ +0\\.00\\d+ +\\+\\d+\\.\\d% +1\\.00 +60 +2400")),
                run.out());
        assertTrue(
                lines.stream()
                        .anyMatch(l -> l.matches(
                                "bench/job/100000/s +throughput +1,005,000 +800,000 " + "+-20\\.4% +1\\.00 +1 +1")),
                run.out());
        assertTrue(
                lines.stream()
                        .anyMatch(l -> l.matches("bench/node/idle cpu +cost +5\\S* +9\\S* +\\+80\\.0% +1\\.00 +1 +1")),
                "what a case costs the node is watched too: " + run.out());
        assertEquals(
                3,
                lines.stream()
                        .filter(l -> l.contains("runq_latency_p99") || l.contains("bench/"))
                        .count(),
                "steady workloads and the steady benchmark case did not regress: " + run.out());
        assertTrue(run.out().contains("3 regressions (3 newly recorded in regressions)"), run.out());

        Run again = tapio("regress", "--at", at);
        assertEquals(RegressCommand.REGRESSED, again.exit());
        assertTrue(again.out().contains("(0 newly recorded"), again.out());
        Run recorded =
                tapio("sql", "SELECT source, workload_key, metric FROM regressions ORDER BY source", "--format", "csv");
        assertEquals(
                List.of(
                        "source,workload_key,metric",
                        "bench,bench/job/100000/s,throughput",
                        "bench,bench/node/idle cpu,cost",
                        "rollups," + HistoryFixture.REGRESSED + ",runq_latency_p99"),
                recorded.out().lines().toList());

        Run lenient = tapio("regress", "--at", at, "--threshold", "150%");
        assertEquals(0, lenient.exit(), lenient.out());
        assertTrue(lenient.out().contains("no regression"), lenient.out());
    }

    @Test
    @Order(2)
    void everyColumnIsQueriedByItsBareName() {
        for (TableDefinition table : HistoryTables.ALL) {
            String columns =
                    table.schema().columns().stream().map(c -> c.name()).collect(Collectors.joining(", "));
            Run run = tapio("sql", "SELECT " + columns + " FROM " + table.name() + " LIMIT 1", "--format", "csv");
            assertEquals(0, run.exit(), table.name() + ": " + run.err());
            assertEquals(
                    columns.replace(", ", ","), run.out().lines().findFirst().orElseThrow(), "the CSV header");
        }
    }

    /**
     * On a machine each Flink job a command runs (a statement, an append to the history, a
     * compaction) runs on a MiniCluster of its own that Flink closes after the job, while the
     * command goes on to exit: {@code tapio regress} left a working directory (minicluster_*) and
     * a 21 MB RPC jar in /tmp at every run, one set an hour from a cron job; and those clusters
     * listened on every interface while the command ran. A history of the test's own, so that
     * regress has regressions to record, written twice, so that maintain has files to compact.
     */
    @Test
    void sqlRegressAndMaintainListenOnLoopbackAndLeaveNothingInTheTemporaryDirectory(@TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("data");
        HistoryFixture.write(HistoryConfig.hadoop(data));
        HistoryFixture.write(HistoryConfig.hadoop(data));
        Map<List<String>, Integer> commands = new LinkedHashMap<>();
        commands.put(List.of("sql", "SELECT COUNT(*) AS n FROM findings", "--format", "csv"), 0);
        commands.put(List.of("regress", "--at", HistoryFixture.END.toString()), RegressCommand.REGRESSED);
        commands.put(List.of("maintain"), 0);
        for (Map.Entry<List<String>, Integer> command : commands.entrySet()) {
            String which = "tapio " + command.getKey().getFirst();
            Set<String> listened = new HashSet<>();
            TapioProcess.Exit exit = runWithOwnTmp(dir, data, command.getKey(), listened);
            assertEquals(command.getValue(), exit.status(), which + ": " + exit.out() + exit.err());
            assertFalse(listened.isEmpty(), which + " ran a job on a cluster, which listens");
            assertEquals(
                    List.of(), Listeners.beyondLoopback(List.copyOf(listened)), which + " listened on " + listened);
            assertNothingLeftIn(dir.resolve("tmp"), which);
        }
    }

    /** A statement that cannot run, its directory holding no history, leaves nothing behind either. */
    @Test
    void sqlWithoutAHistoryLeavesNothingInTheTemporaryDirectory(@TempDir Path dir) throws Exception {
        TapioProcess.Exit exit =
                runWithOwnTmp(dir, dir.resolve("empty"), List.of("sql", "SHOW TABLES"), new HashSet<>());
        assertEquals(Tapio.CANNOT_RUN, exit.status(), exit.err());
        assertTrue(exit.err().startsWith("tapio sql: no history in "), exit.err());
        assertNothingLeftIn(dir.resolve("tmp"), "tapio sql");
    }

    /**
     * Runs {@code tapio command --data-dir data} to its end (two minutes at most: then it is
     * killed and the test fails), adding what it listened on to {@code listened}.
     */
    private static TapioProcess.Exit runWithOwnTmp(Path dir, Path data, List<String> command, Set<String> listened)
            throws Exception {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--data-dir", data.toString()));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (TapioProcess tapio = TapioProcess.startWithOwnTmp(dir, args.toArray(String[]::new))) {
            tapio.endInput();
            while (tapio.alive() && System.nanoTime() < deadline) {
                try {
                    listened.addAll(tapio.listening());
                } catch (NoSuchFileException e) {
                    // Reaped, its /proc/PID is gone a moment before Java's reaper thread marks it ended.
                    if (!tapio.endsWithin(Duration.ofSeconds(5))) {
                        throw e;
                    }
                }
                Thread.sleep(20);
            }
            return tapio.await(Duration.ofSeconds(1));
        }
    }

    private static void assertNothingLeftIn(Path tmp, String which) throws Exception {
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "what " + which + " left in its temporary directory");
        }
    }

    @Test
    void regressSaysWhatIsWrongWithItsOptions() {
        Run run = tapio("regress", "--baseline", "36h");
        assertEquals(Tapio.CANNOT_RUN, run.exit());
        assertTrue(run.err().contains("--baseline is a number of whole days"), run.err());

        Run tooShort = tapio("regress", "--window", "30m");
        assertEquals(Tapio.CANNOT_RUN, tooShort.exit());
        assertTrue(tooShort.err().contains("the window must be 1 hour to 1 day"), tooShort.err());
    }
}
