package io.tapio.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapio.ebpf.abi.SafeText;
import io.tapio.history.HistorySql;
import io.tapio.status.SafeJsonEscapes;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;

/**
 * How {@code tapio sql} prints an answer: an aligned table for people, CSV or JSON for programs.
 * The history keeps names as their processes and pods gave them; each format escapes them
 * ({@link SafeText}, {@link SafeJsonEscapes}) so that no value can write to the terminal or
 * start a row of its own.
 */
enum ResultFormat {
    TABLE {
        @Override
        void print(HistorySql.Result result, PrintWriter out) {
            Table table = new Table(result.columns().toArray(String[]::new));
            for (Row row : result.rows()) {
                Object[] cells = new Object[row.getArity()];
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = text(row.getField(i), result.types().get(i));
                }
                table.row(cells);
            }
            out.print(table);
            out.printf("(%d row%s)%n", result.rows().size(), result.rows().size() == 1 ? "" : "s");
        }
    },
    CSV {
        @Override
        void print(HistorySql.Result result, PrintWriter out) {
            out.println(String.join(
                    ",", result.columns().stream().map(ResultFormat::csv).toList()));
            for (Row row : result.rows()) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.getArity(); i++) {
                    Object value = row.getField(i);
                    line.append(i == 0 ? "" : ",")
                            .append(
                                    value == null
                                            ? ""
                                            : csv(SafeText.escape(
                                                    text(value, result.types().get(i)))));
                }
                out.println(line);
            }
        }
    },
    JSON {
        @Override
        void print(HistorySql.Result result, PrintWriter out) {
            ArrayNode rows = MAPPER.createArrayNode();
            for (Row row : result.rows()) {
                ObjectNode object = rows.addObject();
                for (int i = 0; i < row.getArity(); i++) {
                    object.set(
                            result.columns().get(i),
                            json(row.getField(i), result.types().get(i)));
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

    abstract void print(HistorySql.Result result, PrintWriter out);

    /** A value as text: times in ISO-8601, nested values (maps, lists, rows) as JSON. */
    private static String text(Object value, LogicalType type) {
        if (value == null) {
            return "null";
        }
        JsonNode node = json(value, type);
        if (node.isTextual()) {
            return node.asText();
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(Object value, LogicalType type) {
        return switch (value) {
            case null -> MAPPER.nullNode();
            case Row row
            when type instanceof RowType rowType -> {
                ObjectNode object = MAPPER.createObjectNode();
                List<RowType.RowField> fields = rowType.getFields();
                for (int i = 0; i < fields.size(); i++) {
                    object.set(
                            fields.get(i).getName(),
                            json(row.getField(i), fields.get(i).getType()));
                }
                yield object;
            }
            case Map<?, ?> map -> {
                LogicalType valueType = type instanceof MapType m ? m.getValueType() : null;
                ObjectNode object = MAPPER.createObjectNode();
                map.forEach((k, v) -> object.set(String.valueOf(k), json(v, valueType)));
                yield object;
            }
            case Object[] array -> {
                ArrayNode list = MAPPER.createArrayNode();
                LogicalType element = type instanceof ArrayType a ? a.getElementType() : null;
                for (Object v : array) {
                    list.add(json(v, element));
                }
                yield list;
            }
            case Integer i -> MAPPER.getNodeFactory().numberNode(i);
            case Long l -> MAPPER.getNodeFactory().numberNode(l);
            case Double d -> MAPPER.getNodeFactory().numberNode(d);
            case Float f -> MAPPER.getNodeFactory().numberNode(f);
            case BigDecimal d -> MAPPER.getNodeFactory().numberNode(d);
            case Boolean b -> MAPPER.getNodeFactory().booleanNode(b);
            default -> MAPPER.getNodeFactory().textNode(value.toString());
        };
    }

    private static String csv(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n")
                ? "\"" + cell.replace("\"", "\"\"") + "\""
                : cell;
    }
}
