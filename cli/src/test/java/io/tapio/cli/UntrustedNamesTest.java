package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapio.testing.Commands;
import io.tapio.testing.WorkloadCgroup;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A real process names itself and the file it keeps failing to open with terminal escape
 * sequences and a newline, as any process on a node can; {@code tapio run} on the real BPF
 * programs reads it. What an operator then reads ({@code tapio check} on the screen and as
 * JSON, {@code tapio sql --format csv} over the events and findings) shows both names escaped,
 * with no raw ESC or BEL and no line the process started, while the history keeps them as the
 * process gave them.
 */
class UntrustedNamesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Red text from here on: what the process calls itself (the kernel keeps 15 bytes). */
    private static final String COMM = "\u001b[31mevil\nname";
    /** Sets the terminal's title, then starts a line of its own. */
    private static final String FILE = "missing-\u001b]0;pwned\u0007\nfile";

    private static final String COMM_SHOWN = "\\x1b[31mevil\\nname";
    private static final String FILE_SHOWN = "missing-\\x1b]0;pwned\\x07\\nfile";

    @TempDir
    Path dir;

    private record Run(int exit, String out) {}

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void namesFromAProcessAreShownEscapedByCheckAndSql() throws Exception {
        Path data = dir.resolve("data");
        Path missing = dir.resolve(FILE);
        // Run through a link with that name, the shell is the process the kernel names COMM.
        Path shell = Files.createSymbolicLink(dir.resolve(COMM), Path.of("/bin/sh"));
        Path opens = dir.resolve("opens.sh");
        // A program that needs the file, restarted until it is found as a crash loop with that cause.
        Files.writeString(opens, "{ true; } < \"$1\" 2>/dev/null || exit 1\n");

        CompletableFuture<Integer> run = new CompletableFuture<>();
        Thread runner = Thread.ofPlatform()
                .name("tapio-run")
                .start(() -> run.complete(tapio(
                                "run",
                                "--source",
                                "ebpf",
                                "--duration",
                                "4m",
                                "--checkpoint-interval",
                                "2s",
                                "--data-dir",
                                data.toString(),
                                "--ui-port",
                                "0",
                                "--metrics-port",
                                "0",
                                "--status-port",
                                "0")
                        .exit()));
        try (WorkloadCgroup cgroup = WorkloadCgroup.create()) {
            JsonNode finding = awaitFinding(data, cgroup, "'" + shell + "' '" + opens + "' '" + missing + "'");
            assertTrue(finding.get("summary").asText().contains(missing.toString()), "JSON keeps the path itself");

            Run json = tapio("check", "--json", "--data-dir", data.toString());
            assertNoControlCharacters(json.out());
            assertTrue(json.out().contains("missing-\\u001B]0;pwned\\u0007\\nfile"), json.out());

            Run screen = tapio("check", "--data-dir", data.toString());
            assertNoControlCharacters(screen.out());
            assertTrue(screen.out().contains(FILE_SHOWN), screen.out());
            assertNoLineStartedBy(screen.out(), "file");

            Run events = awaitRows(
                    data, "SELECT comm, path, detail FROM events WHERE type = 'open_failed' AND path LIKE '%pwned%'");
            assertNoControlCharacters(events.out());
            assertTrue(events.out().contains(COMM_SHOWN + "," + dir + "/" + FILE_SHOWN), events.out());
            assertNoLineStartedBy(events.out(), "name", "file");

            Run findings = awaitRows(
                    data,
                    "SELECT summary, recommendation, evidence FROM findings WHERE pattern_name = 'crash_loop'"
                            + " AND summary LIKE '%pwned%'");
            assertNoControlCharacters(findings.out());
            assertTrue(findings.out().contains(FILE_SHOWN), findings.out());
            // The evidence is a list of rows, which a cell holds as JSON: escaped the JSON way.
            assertTrue(findings.out().contains("\\u001B[31mevil\\nname"), "the evidence's comm: " + findings.out());
            assertNoLineStartedBy(findings.out(), "name", "file");

            Run faithful = awaitRows(
                    data, "SELECT COUNT(*) AS n FROM events WHERE comm = CHR(27) || '[31mevil' || CHR(10) || 'name'");
            assertFalse(faithful.out().lines().toList().contains("0"), "the history keeps the name: " + faithful);
        } finally {
            runner.interrupt(); // as Ctrl-C: the run stops and prints its summary
            assertEquals(0, run.get(2, TimeUnit.MINUTES));
        }
    }

    /** Starts the process again and again until check lists the incident its failures on the file make. */
    private JsonNode awaitFinding(Path data, WorkloadCgroup cgroup, String command) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        String last = "";
        while (System.nanoTime() < deadline) {
            Run check = tapio("check", "--json", "--data-dir", data.toString());
            last = check.out();
            if (!last.isBlank() && JSON.readTree(last).get("running").asBoolean()) {
                for (JsonNode finding : JSON.readTree(last).get("findings")) {
                    if (finding.get("summary").asText().contains("pwned")) {
                        return finding;
                    }
                }
                Commands.run(cgroup.wrap(command)); // it fails: that is the point
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("tapio check never listed the crash loop on the missing file; it last said " + last);
    }

    /** The CSV of a query once the history has committed rows for it (at a checkpoint). */
    private Run awaitRows(Path data, String query) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Run answer;
        do {
            answer = tapio("sql", query, "--format", "csv", "--data-dir", data.toString());
            if (answer.exit() == 0 && answer.out().lines().count() > 1) {
                return answer;
            }
            Thread.sleep(2_000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no rows for " + query + ": " + answer);
    }

    private static void assertNoControlCharacters(String output) {
        assertTrue(
                output.chars().noneMatch(c -> c == 0x1b || c == 0x07 || c == 0x9b || c == '\r'),
                "a raw ESC, BEL, CSI or CR: " + output);
    }

    /** The process's newline would start a line with the rest of its name. */
    private static void assertNoLineStartedBy(String output, String... rests) {
        for (String line : output.lines().toList()) {
            for (String rest : rests) {
                assertFalse(line.startsWith(rest), "a line started by the process's newline: " + line);
            }
        }
    }

    private static Run tapio(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        int exit = cli.execute(args);
        return new Run(exit, out.toString());
    }
}
