package io.tapio.history;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.types.Types;

/**
 * Fills a row of a table by column name, so that a converter cannot put a value in the wrong
 * column when the table gains one. Java values become Flink's internal ones: String,
 * Instant, List (of RowData or scalars) and Map.
 */
final class RowBuilder {
    private final Map<String, Integer> positions = new HashMap<>();
    private final int arity;

    RowBuilder(Types.StructType struct) {
        List<Types.NestedField> fields = struct.fields();
        for (int i = 0; i < fields.size(); i++) {
            positions.put(fields.get(i).name(), i);
        }
        arity = fields.size();
    }

    Row row() {
        return new Row(new GenericRowData(arity));
    }

    /** One row being filled; columns not set stay null. */
    final class Row {
        private final GenericRowData data;

        private Row(GenericRowData data) {
            this.data = data;
        }

        Row set(String column, Object value) {
            Integer position = positions.get(column);
            if (position == null) {
                throw new IllegalArgumentException("no column " + column + " in " + positions.keySet());
            }
            data.setField(position, internal(value));
            return this;
        }

        RowData build() {
            return data;
        }
    }

    private static Object internal(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> StringData.fromString(s);
            case Instant i -> TimestampData.fromInstant(i);
            case List<?> list ->
                new GenericArrayData(list.stream().map(RowBuilder::internal).toArray());
            case Map<?, ?> map -> {
                Map<Object, Object> converted = new HashMap<>();
                map.forEach((k, v) -> converted.put(internal(k), internal(v)));
                yield new GenericMapData(converted);
            }
            default -> value;
        };
    }
}
