package io.tapio.cli;

import io.tapio.history.HistorySql;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.table.api.SqlParserException;
import org.apache.flink.table.api.TableException;
import org.apache.flink.table.api.ValidationException;
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
            "Example: ./tapio sql \"SELECT workload, COUNT(*) AS n FROM findings GROUP BY workload\""
        })
final class SqlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HistoryOptions history;

    @Parameters(index = "0", paramLabel = "STATEMENT", description = "SELECT ..., SHOW TABLES, DESCRIBE findings, ...")
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
        PrintWriter out = spec.commandLine().getOut();
        HistorySql.Result result;
        try {
            result = new HistorySql(history.config()).query(statement);
        } catch (SqlParserException | ValidationException | TableException e) {
            spec.commandLine().getErr().println("tapio sql: " + message(e));
            return Tapio.CANNOT_RUN;
        }
        chosen.print(result, out);
        out.flush();
        return 0;
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
