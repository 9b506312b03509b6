package io.tapio.cli;

import io.tapio.history.HistorySql;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.table.api.SqlParserException;
import org.apache.flink.table.api.TableException;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tapio sql}: Flink SQL over the history. */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one Flink SQL statement (batch) over the history and prints its answer.",
            "Tables: events, findings, rollups, regressions, bench_runs (catalog tapio, database history). "
                    + "Times are UTC.",
            "Example: ./tapio sql \"SELECT workload, COUNT(*) AS n FROM findings GROUP BY workload\"",
            "Without STATEMENT, an interactive shell: statements may span lines and end with ';', \\q quits."
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

    @Override
    public Integer call() throws Exception {
        ResultFormat chosen;
        try {
            chosen = ResultFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format is table, csv or json, not '" + format + "'");
        }
        HistorySql sql;
        try {
            sql = new HistorySql(history.config());
        } catch (CatalogException e) {
            // A data dir where no job has written yet: say so rather than print Flink's stack trace.
            spec.commandLine()
                    .getErr()
                    .println("tapio sql: no history in " + history.dataDir() + " (" + e.getMessage()
                            + "); tapio run writes it");
            return Tapio.CANNOT_RUN;
        }
        if (statement == null) {
            shell(sql, chosen);
            return 0;
        }
        return answer(sql, statement, chosen) ? 0 : Tapio.CANNOT_RUN;
    }

    /** Prints one statement's answer, or the parser's words when it has none. */
    private boolean answer(HistorySql sql, String text, ResultFormat chosen) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HistorySql.Result result;
        try {
            result = sql.query(text);
        } catch (SqlParserException | ValidationException | TableException e) {
            spec.commandLine().getErr().println("tapio sql: " + message(e));
            spec.commandLine().getErr().flush();
            return false;
        }
        chosen.print(result, out);
        out.flush();
        return true;
    }

    /**
     * Reads statements from standard input until {@code \q} or its end: lines gather until one
     * ends with ';', so a statement may span lines; a bad statement is reported and the shell goes on.
     * Prompts go to standard error, so that what standard output gets is only answers.
     */
    private void shell(HistorySql sql, ResultFormat chosen) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
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
                    answer(sql, one, chosen);
                }
            }
        }
    }

    /**
     * The parser's or validator's own words, without the hundred alternatives the parser lists
     * after "Was expecting one of", and with the cause that says what is wrong.
     */
    static String message(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable cause = e.getCause();
        while (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message = message + ": " + cause.getMessage();
            cause = cause.getCause();
        }
        int alternatives = message.indexOf("Was expecting");
        return (alternatives > 0 ? message.substring(0, alternatives) : message).strip();
    }
}
