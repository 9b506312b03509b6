package io.tapio.schemas;

import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/** The tables of the history, and bringing a catalog up to their current definitions. */
public final class HistoryTables {
    /** The namespace (Flink: database) the tables live in. */
    public static final Namespace NAMESPACE = Namespace.of("history");

    public static final List<TableDefinition> ALL = List.of(
            EventsTable.DEFINITION,
            FindingsTable.DEFINITION,
            RollupsTable.DEFINITION,
            RegressionsTable.DEFINITION,
            BenchRunsTable.DEFINITION);

    private HistoryTables() {}

    public static TableIdentifier identifier(String table) {
        return TableIdentifier.of(NAMESPACE, table);
    }

    /** Creates what is missing and evolves what is older, for every table. */
    public static void ensureAll(Catalog catalog) {
        for (TableDefinition definition : ALL) {
            ensure(catalog, definition);
        }
    }

    /**
     * Makes the table match its definition: creates it when absent; when it exists, adds the
     * columns it lacks and widens the types that grew, leaving its data as it is. Doing it
     * again changes nothing, and neither does a concurrent creation by another writer.
     */
    public static Table ensure(Catalog catalog, TableDefinition definition) {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(NAMESPACE)) {
            try {
                namespaces.createNamespace(NAMESPACE);
            } catch (AlreadyExistsException createdMeanwhile) {
                // another writer created it first: that is all we wanted
            }
        }
        TableIdentifier id = identifier(definition.name());
        if (!catalog.tableExists(id)) {
            try {
                return catalog.buildTable(id, definition.schema())
                        .withPartitionSpec(definition.spec())
                        .withSortOrder(definition.order())
                        .withProperties(definition.properties())
                        .create();
            } catch (AlreadyExistsException createdMeanwhile) {
                // fall through: evolve what the other writer created
            }
        }
        Table table = catalog.loadTable(id);
        UpdateSchema evolution = table.updateSchema().unionByNameWith(definition.schema());
        if (!evolution.apply().sameSchema(table.schema())) {
            evolution.commit();
        }
        return table;
    }
}
