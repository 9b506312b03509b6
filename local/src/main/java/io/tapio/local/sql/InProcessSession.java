package io.tapio.local.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapio.history.HistoryConfig;
import io.tapio.history.HistorySql;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.SqlParserException;
import org.apache.flink.table.api.TableException;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;

/** Statements planned and run in this process, by a Flink planner of its own: what runs when no SQL service does. */
public final class InProcessSession implements SqlSession {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final HistorySql sql;

    /** @throws org.apache.flink.table.catalog.exceptions.CatalogException when the catalog has no history */
    public InProcessSession(HistoryConfig config) {
        this.sql = new HistorySql(config);
    }

    @Override
    public SqlAnswer run(String statement) throws Exception {
        HistorySql.Result result;
        try {
            result = sql.query(statement);
        } catch (SqlParserException | ValidationException | TableException e) {
            throw BadStatementException.of(e);
        }
        List<List<JsonNode>> rows = new ArrayList<>();
        for (Row row : result.rows()) {
            List<JsonNode> values = new ArrayList<>(row.getArity());
            for (int i = 0; i < row.getArity(); i++) {
                values.add(json(row.getField(i), result.types().get(i)));
            }
            rows.add(values);
        }
        return new SqlAnswer(result.columns(), rows);
    }

    @Override
    public String where() {
        return "this process";
    }

    @Override
    public void close() {
        sql.close();
    }

    /** A value as JSON: times in ISO-8601 (an instant in UTC), nested rows, maps and lists as objects and arrays. */
    private static JsonNode json(Object value, LogicalType type) {
        return switch (value) {
            case null -> JSON.nullNode();
            case Row row
            when type instanceof RowType rowType -> {
                ObjectNode object = JSON.objectNode();
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
                ObjectNode object = JSON.objectNode();
                map.forEach((k, v) -> object.set(String.valueOf(k), json(v, valueType)));
                yield object;
            }
            case byte[] bytes -> JSON.textNode(Base64.getEncoder().encodeToString(bytes));
            case Object[] array -> {
                ArrayNode list = JSON.arrayNode();
                LogicalType element = type instanceof ArrayType a ? a.getElementType() : null;
                for (Object v : array) {
                    list.add(json(v, element));
                }
                yield list;
            }
            case Integer i -> JSON.numberNode(i);
            case Long l -> JSON.numberNode(l);
            case Short s -> JSON.numberNode(s);
            case Byte b -> JSON.numberNode(b);
            case Double d -> JSON.numberNode(d);
            case Float f -> JSON.numberNode(f);
            case BigDecimal d -> JSON.numberNode(d);
            case Boolean b -> JSON.booleanNode(b);
            default -> JSON.textNode(value.toString());
        };
    }
}
