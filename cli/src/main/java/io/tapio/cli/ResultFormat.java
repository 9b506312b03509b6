package io.tapio.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapio.local.sql.SqlAnswer;
import java.io.PrintWriter;
import java.util.List;

/** How {@code tapio sql} prints an answer: an aligned table for people, CSV or JSON for programs. */
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
                    line.append(i == 0 ? "" : ",").append(value.isNull() ? "" : csv(text(value)));
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
            out.println(rows.toPrettyString());
        }
    };

    private static final ObjectMapper MAPPER = new ObjectMapper();

    abstract void print(SqlAnswer answer, PrintWriter out);

    /** A value as text: text as it is, times in ISO-8601, nested values (maps, lists, rows) as JSON. */
    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static String csv(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n")
                ? "\"" + cell.replace("\"", "\"\"") + "\""
                : cell;
    }
}
