package io.tapio.cli;

import io.tapio.history.HistoryConfig;
import io.tapio.local.sql.BadStatementException;
import io.tapio.local.sql.InProcessSession;
import io.tapio.local.sql.ServiceSession;
import io.tapio.local.sql.SqlService;
import io.tapio.local.sql.SqlServiceException;
import io.tapio.local.sql.SqlServices;
import io.tapio.local.sql.SqlSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tapio sql}: Flink SQL over the history, in the resident SQL service when one runs. */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one Flink SQL statement (batch) over the history and prints its answer.",
            "Tables: events, findings, rollups, regressions, bench_runs (catalog tapio, database history). "
                    + "Times are UTC.",
            "Example: ./tapio sql \"SELECT workload, COUNT(*) AS n FROM findings GROUP BY workload\"",
            "Without STATEMENT, an interactive shell: statements may span lines and end with ';', \\q quits.",
            "Statements run in the SQL service of this history when one runs (--serve, or tapio run --sql), "
                    + "else in this process."
        })
final class SqlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HistoryOptions history;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "STATEMENT",
            description = "SELECT ..., SHOW TABLES, DESCRIBE findings, ...")
    String statement;

    @Option(
            names = "--format",
            defaultValue = "table",
            paramLabel = "F",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--serve",
            description = "Run the SQL service over the history until Ctrl-C: Flink's SQL Gateway (REST API) on "
                    + "127.0.0.1, which tapio sql then uses, answering in a fraction of a second.")
    boolean serve;

    @Option(
            names = "--port",
            defaultValue = "8083",
            description = "With --serve: the SQL service's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        ResultFormat chosen;
        try {
            chosen = ResultFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format is table, csv or json, not '" + format + "'");
        }
        if (serve) {
            return serve();
        }
        Optional<SqlSession> opened = open(history.config());
        if (opened.isEmpty()) {
            return Tapio.CANNOT_RUN;
        }
        try (SqlSession session = opened.get()) {
            if (statement == null) {
                shell(session, chosen);
                return 0;
            }
            return answer(session, statement, chosen) ? 0 : Tapio.CANNOT_RUN;
        } catch (SqlServiceException gone) {
            spec.commandLine().getErr().println("tapio sql: " + gone.getMessage());
            return Tapio.CANNOT_RUN;
        }
    }

    /** The SQL service of this history if one answers, else a planner in this process; empty when there is no history. */
    private Optional<SqlSession> open(HistoryConfig config) throws InterruptedException {
        Optional<SqlServices.Running> service = SqlServices.forThisUser().serving(config);
        if (service.isPresent()) {
            try {
                return Optional.of(ServiceSession.open(service.get().port()));
            } catch (SqlServiceException stopping) {
                // Registered but no longer answering: it is stopping. This process answers instead.
            }
        }
        try {
            return Optional.of(new InProcessSession(config));
        } catch (CatalogException e) {
            // A data dir where no job has written yet: say so rather than print Flink's stack trace.
            spec.commandLine()
                    .getErr()
                    .println("tapio sql: no history in " + history.dataDir() + " (" + e.getMessage()
                            + "); tapio run writes it");
            return Optional.empty();
        }
    }

    /** Prints one statement's answer, or the planner's words when it has none. */
    private boolean answer(SqlSession session, String text, ResultFormat chosen) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try {
            chosen.print(session.run(text), out);
        } catch (BadStatementException e) {
            spec.commandLine().getErr().println("tapio sql: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return false;
        }
        out.flush();
        return true;
    }

    /**
     * Reads statements from standard input until {@code \q} or its end: lines gather until one
     * ends with ';', so a statement may span lines; a bad statement is reported and the shell goes on.
     * Prompts go to standard error, so that what standard output gets is only answers.
     */
    private void shell(SqlSession session, ResultFormat chosen) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        err.println("tapio sql: statements run in " + session.where() + "; end each with ';', \\q quits");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
        StringBuilder pending = new StringBuilder();
        while (true) {
            err.print(pending.isEmpty() ? "tapio> " : "    -> ");
            err.flush();
            String line = in.readLine();
            if (line == null || (pending.isEmpty() && line.strip().equals("\\q"))) {
                return;
            }
            pending.append(pending.isEmpty() ? "" : "\n").append(line);
            String text = pending.toString().strip();
            if (text.endsWith(";")) {
                pending.setLength(0);
                String one = text.substring(0, text.length() - 1).strip();
                if (!one.isEmpty()) {
                    answer(session, one, chosen);
                }
            }
        }
    }

    /** {@code --serve}: the SQL service in the foreground until Ctrl-C. */
    private int serve() throws Exception {
        if (statement != null) {
            throw new IllegalArgumentException("--serve runs the SQL service and takes no statement");
        }
        new LoopbackPort(port, "the SQL service", "--port").requireFree();
        Thread main = Thread.currentThread();
        try (CtrlC ctrlC = new CtrlC("sql", main::interrupt);
                SqlService service = SqlService.start(history.config(), history.dataDir(), port)) {
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "tapio sql: serving the history in %s on 127.0.0.1:%d (Flink SQL Gateway, REST API v3); "
                            + "./tapio sql uses it. Ctrl-C stops it.%n",
                    history.dataDir(), service.port());
            out.flush();
            ctrlC.await(Long.MAX_VALUE);
        } catch (InterruptedException ctrlC) {
            // Stopped: the service closes.
        }
        return 0;
    }
}
