package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapio run --sql}: the SQL service starts beside the job, over the history the job
 * writes, on loopback; {@code tapio sql} without a planner of its own answers through it.
 */
class RunServesSqlTest {
    private static final Pattern SQL_LINE = Pattern.compile("\\n  sql +127\\.0\\.0\\.1:(\\d+) ");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aRunWithSqlServesItsHistoryOnLoopback() throws Exception {
        Path data = dir.resolve("data");
        Path out = dir.resolve("run.out");
        ProcessBuilder builder = new ProcessBuilder(TapioProcess.command(
                "run",
                "--source",
                "synthetic",
                "--inject",
                "crash-loop",
                "--duration",
                "150s",
                "--checkpoint-interval",
                "2s",
                "--data-dir",
                data.toString(),
                "--sql",
                "--sql-port",
                "0",
                "--ui-port",
                "0",
                "--metrics-port",
                "0",
                "--status-port",
                "0"));
        builder.environment().put("XDG_RUNTIME_DIR", dir.resolve("runtime").toString());
        Process run = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            int port = awaitSqlLine(run, out);
            List<String> listening = Listeners.of(run.pid());
            assertEquals(List.of(), Listeners.beyondLoopback(listening), "listening: " + listening);

            ProcessBuilder sql = new ProcessBuilder(TapioProcess.withoutPlanner(
                    "sql", "SELECT COUNT(*) AS findings FROM findings", "--format", "csv", "--data-dir", data.toString()));
            sql.environment().put("XDG_RUNTIME_DIR", dir.resolve("runtime").toString());
            Process client = sql.redirectErrorStream(true).start();
            String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(client.waitFor(2, TimeUnit.MINUTES), "tapio sql ends");
            assertEquals(0, client.exitValue(), "through the service on " + port + ": " + answer);
            assertTrue(answer.matches("findings\\n[0-9]+\\n"), answer);
        } finally {
            run.destroy();
            if (!run.waitFor(60, TimeUnit.SECONDS)) {
                run.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void sqlNeedsTheHistory() {
        var err = new java.io.StringWriter();
        picocli.CommandLine cli = Tapio.commandLine();
        cli.setErr(new java.io.PrintWriter(err));
        int exit = cli.execute("run", "--sql", "--no-history", "--data-dir", dir.toString());
        assertEquals(Tapio.CANNOT_RUN, exit);
        assertTrue(err.toString().contains("--sql serves the history, which --no-history does not keep"), err.toString());
    }

    private static int awaitSqlLine(Process run, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Matcher line;
        while (!(line = SQL_LINE.matcher(Files.readString(out))).find()) {
            if (!run.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("tapio run --sql did not serve: " + Files.readString(out));
            }
            Thread.sleep(200);
        }
        return Integer.parseInt(line.group(1));
    }
}
