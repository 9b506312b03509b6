package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.cli.TapioProcess.Exit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
        try (TapioProcess run = TapioProcess.startRun(
                dir,
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
                "0")) {
            int port = Integer.parseInt(
                    run.awaitOutput(SQL_LINE, Duration.ofMinutes(2)).group(1));
            List<String> listening = run.listening();
            assertEquals(List.of(), Listeners.beyondLoopback(listening), "listening: " + listening);

            Exit sql = TapioProcess.startWithoutPlanner(
                            dir,
                            "sql",
                            "SELECT COUNT(*) AS findings FROM findings",
                            "--format",
                            "csv",
                            "--data-dir",
                            data.toString())
                    .endInput()
                    .await(Duration.ofMinutes(2));
            assertEquals(0, sql.status(), "through the service on " + port + ": " + sql);
            assertTrue(sql.out().matches("findings\\n[0-9]+\\n"), sql.out());
        }
    }

    @Test
    void sqlNeedsTheHistory() {
        StringWriter err = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("run", "--sql", "--no-history", "--data-dir", dir.toString());
        assertEquals(Tapio.CANNOT_RUN, exit);
        assertTrue(
                err.toString().contains("--sql serves the history, which --no-history does not keep"), err.toString());
    }
}
