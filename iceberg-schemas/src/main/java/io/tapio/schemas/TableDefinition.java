package io.tapio.schemas;

import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;

/**
 * One table of the history: what a row is, how the files are laid out, and how they are
 * written.
 *
 * @param name the table's name in the history namespace
 * @param doc what a row is, for the table's {@code comment} property
 * @param schema the current columns; later versions only add optional columns or widen types,
 *     so that {@link HistoryTables#ensure} can evolve a table in place and old files still read
 * @param partitionSpec how files are split, from the schema
 * @param sortOrder how rows are sorted within a file, so that readers skip by min/max statistics
 * @param properties file format, compression, target file size, metadata retention
 */
public record TableDefinition(
        String name,
        String doc,
        Schema schema,
        Function<Schema, PartitionSpec> partitionSpec,
        Function<Schema, SortOrder> sortOrder,
        Map<String, String> properties) {
    public TableDefinition {
        properties = Map.copyOf(properties);
    }

    public PartitionSpec spec() {
        return partitionSpec.apply(schema);
    }

    public SortOrder order() {
        return sortOrder.apply(schema);
    }
}
