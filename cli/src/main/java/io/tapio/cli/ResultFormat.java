package io.tapio.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapio.ebpf.abi.SafeText;
import io.tapio.local.sql.SqlAnswer;
import io.tapio.status.SafeJsonEscapes;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * How {@code tapio sql} prints an answer: an aligned table for people, CSV or JSON for programs.
 * The history keeps names as their processes and pods gave them; each format escapes them
 * ({@link SafeText}, {@link SafeJsonEscapes}) so that no value can write to the terminal or
 * start a row of its own.
 */
enum ResultFormat {
    TABLE {
        @Override
        void print(SqlAnswer answer, PrintWriter out) {
            Table table = new Table(answer.columns().toArray(String[]::new));
            for (List<JsonNode> row : answer.rows()) {
                table.row(row.stream().map(ResultFormat::text).toArray());
            }
            out.print(table);
            out.printf("(%d row%s)%n", answer.rows().size(), answer.rows().size() == 1 ? "" : "s");
        }
    },
    CSV {
        @Override
        void print(SqlAnswer answer, PrintWriter out) {
            out.println(String.join(
                    ",", answer.columns().stream().map(ResultFormat::csv).toList()));
            for (List<JsonNode> row : answer.rows()) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.size(); i++) {
                    JsonNode value = row.get(i);
                    line.append(i == 0 ? "" : ",").append(value.isNull() ? "" : csv(SafeText.escape(text(value))));
                }
                out.println(line);
            }
        }
    },
    JSON {
        @Override
        void print(SqlAnswer answer, PrintWriter out) {
            ArrayNode rows = MAPPER.createArrayNode();
            for (List<JsonNode> row : answer.rows()) {
                ObjectNode object = rows.addObject();
                for (int i = 0; i < row.size(); i++) {
                    object.set(answer.columns().get(i), row.get(i));
                }
            }
            try {
                out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final ObjectMapper MAPPER = SafeJsonEscapes.applyTo(new ObjectMapper());

    abstract void print(SqlAnswer answer, PrintWriter out);

    /** A value as text: text as it is, times in ISO-8601, nested values (maps, lists, rows) as JSON. */
    private static String text(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csv(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n")
                ? "\"" + cell.replace("\"", "\"\"") + "\""
                : cell;
    }
}
