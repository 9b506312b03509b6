package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapio.cli.TapioProcess.Exit;
import io.tapio.history.HistoryConfig;
import io.tapio.history.HistoryFixture;
import io.tapio.local.sql.SqlServices;
import io.tapio.schemas.HistoryTables;
import io.tapio.schemas.TableDefinition;
import io.tapio.status.ProcessRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tapio sql --serve} in a process of its own over a history on disk (every table Tapio
 * writes), and {@code tapio sql} as a user types it, each in a new JVM that finds the service in
 * its registry of this user. Those clients run without Flink's planner on their class path, so
 * an answer can only have come through the service; the same statements run in this test's
 * JVM, where no service is registered, are today's path, and must answer the same.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SqlServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP_BY =
            "SELECT owner_name, COUNT(*) AS findings FROM findings GROUP BY owner_name ORDER BY owner_name";
    private static final List<String> BAD = List.of("SELECT * FROMM findings", "SELECT * FROM nope");

    /** The in-process path's Flink: one cluster for the class. */
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @TempDir
    static Path dir;

    static Path dataDir;
    static TapioProcess service;
    static int port;

    @BeforeAll
    static void serveAHistory() throws Exception {
        dataDir = dir.resolve("data");
        HistoryFixture.write(HistoryConfig.hadoop(dataDir));
        assertEquals(
                RegressCommand.REGRESSED,
                inProcess(null, "regress", "--at", HistoryFixture.END.toString())
                        .status(),
                "the fixture's regressions are recorded");
        service = TapioProcess.serveSql(dir, dataDir);
        port = service.sqlPort();
    }

    @AfterAll
    static void stopTheService() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void theShellThroughTheServiceAnswersEveryTableAsThisProcessDoes() throws Exception {
        List<String> statements = new ArrayList<>();
        for (TableDefinition table : HistoryTables.ALL) {
            statements.add("SELECT * FROM " + table.name());
        }
        statements.add(
                "SELECT owner_name, COUNT(*) AS findings\nFROM findings GROUP BY owner_name ORDER BY owner_name");
        statements.addAll(BAD);
        String typed = String.join(";\n", statements) + ";\n\\q\n";

        Exit here = inProcess(typed, "sql", "--format", "json");
        Exit there = client(typed, "sql", "--format", "json");

        assertEquals(0, there.status(), there.err());
        assertTrue(
                there.err().contains("tapio sql: statements run in the SQL service on 127.0.0.1:" + port), there.err());
        assertTrue(here.err().contains("statements run in this process"), here.err());
        List<JsonNode> expected = answers(here.out());
        List<JsonNode> answered = answers(there.out());
        assertEquals(statements.size() - BAD.size(), answered.size(), there.out());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(expected.get(i).size() > 0, statements.get(i) + " has rows in the fixture");
            assertEquals(rows(expected.get(i)), rows(answered.get(i)), statements.get(i));
        }
        assertEquals(errors(here.err()), errors(there.err()), "the same words for a bad statement");
        assertEquals(2, errors(there.err()).size(), there.err());
    }

    @Test
    @Order(1)
    void oneStatementThroughTheServiceAsThisProcessPrintsItInEachFormat() throws Exception {
        for (String format : List.of("table", "csv", "json")) {
            Exit there = client(null, "sql", GROUP_BY, "--format", format);
            Exit here = inProcess(null, "sql", GROUP_BY, "--format", format);
            assertEquals(0, there.status(), there.err());
            assertEquals(here.out(), there.out(), format);
            assertEquals("", there.err());
        }
        assertEquals(
                List.of("owner_name,findings", "cart,8", "checkout,24"),
                client(null, "sql", GROUP_BY, "--format", "csv").out().lines().toList());
        for (String bad : BAD) {
            Exit there = client(null, "sql", bad);
            Exit here = inProcess(null, "sql", bad);
            assertEquals(Tapio.CANNOT_RUN, there.status(), there.err());
            assertEquals(here.err(), there.err());
            assertTrue(there.err().startsWith("tapio sql: SQL "), there.err());
            assertEquals(1, there.err().lines().count(), "one line: " + there.err());
        }
    }

    /** A script's {@code tapio sql < /dev/null}, or a program that closes its pipe: the shell ends at once. */
    @Test
    @Order(1)
    void aShellWhoseInputEndsEndsWithNothingToAnswer() throws Exception {
        Exit ended = client(null, "sql", "--format", "csv");
        assertEquals(0, ended.status(), ended.toString());
        assertEquals("", ended.out());
    }

    @Test
    @Order(2)
    void theServiceListensOnLoopbackOnly() throws Exception {
        List<String> listening = service.listening();
        assertTrue(listening.size() >= 2, "the gateway and its cluster listen: " + listening);
        assertEquals(List.of(), Listeners.beyondLoopback(listening), "listening: " + listening);
    }

    @Test
    @Order(3)
    void aServiceThatStopsMidSessionEndsTheShellWithAClearError() throws Exception {
        TapioProcess shell =
                TapioProcess.startWithoutPlanner(dir, "sql", "--format", "csv", "--data-dir", dataDir.toString());
        shell.type(GROUP_BY + ";\n").awaitOutput("owner_name,findings", Duration.ofMinutes(2));

        service.kill();
        Exit ended = shell.type(GROUP_BY + ";\n").await(Duration.ofMinutes(2));

        assertEquals(Tapio.CANNOT_RUN, ended.status(), ended.toString());
        assertTrue(
                ended.err().contains("tapio sql: the SQL service on 127.0.0.1:" + port + " stopped answering ("),
                ended.err());
        assertFalse(ended.err().contains("\tat "), "no stack trace: " + ended.err());
        Path registry = dir.resolve("runtime/tapio/sql");
        assertEquals(List.of(), new SqlServices(new ProcessRegistry(registry)).list(), "no service runs");
        try (Stream<Path> left = Files.list(registry)) {
            assertEquals(List.of(), left.toList(), "the look forgot the service that was killed");
        }
    }

    /** Each JSON answer on standard output, in order. */
    private static List<JsonNode> answers(String out) throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        try (JsonParser values = JSON.createParser(out)) {
            while (values.nextToken() != null) {
                answers.add(values.readValueAsTree());
            }
        }
        return answers;
    }

    /** An answer's rows, in an order of their own: a table read whole has none. */
    private static List<String> rows(JsonNode answer) {
        List<String> rows = new ArrayList<>();
        answer.forEach(row -> rows.add(row.toString()));
        rows.sort(null);
        return rows;
    }

    private static List<String> errors(String err) {
        return err.lines()
                .map(line -> line.replaceAll("^(tapio> |    -> )+", ""))
                .filter(line -> line.startsWith("tapio sql: SQL "))
                .toList();
    }

    /** {@code tapio} in this JVM, where no SQL service of this history is registered: today's path. */
    private static Exit inProcess(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        InputStream stdinBefore = System.in;
        try {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            }
            return new Exit(cli.execute(withDataDir(args)), out.toString(), err.toString());
        } finally {
            System.setIn(stdinBefore);
        }
    }

    /** {@code tapio} in a new JVM without the planner, with this test's registry; {@code stdin} typed in, if any. */
    private static Exit client(String stdin, String... args) throws Exception {
        TapioProcess client = TapioProcess.startWithoutPlanner(dir, withDataDir(args));
        if (stdin != null) {
            client.type(stdin);
        }
        return client.endInput().await(Duration.ofMinutes(2));
    }

    private static String[] withDataDir(String... args) {
        return Stream.concat(Stream.of(args), Stream.of("--data-dir", dataDir.toString()))
                .toArray(String[]::new);
    }
}
