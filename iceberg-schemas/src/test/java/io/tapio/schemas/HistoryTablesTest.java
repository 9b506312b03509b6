package io.tapio.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history's tables in a real Hadoop catalog on disk, as a user of the warehouse sees them. */
class HistoryTablesTest {
    @TempDir
    Path warehouse;

    HadoopCatalog catalog;

    @BeforeEach
    void openCatalog() {
        catalog = new HadoopCatalog(new Configuration(), warehouse.toUri().toString());
    }

    @Test
    void everyTableIsCreatedWithItsLayoutAndWritesZstdParquet() {
        HistoryTables.ensureAll(catalog);

        assertEquals(
                List.of("bench_runs", "events", "findings", "regressions", "rollups"),
                catalog.listTables(HistoryTables.NAMESPACE).stream()
                        .map(id -> id.name())
                        .sorted()
                        .toList());
        Table events = catalog.loadTable(HistoryTables.identifier("events"));
        assertEquals(
                "[event_time_day, node]",
                events.spec().fields().stream().map(f -> f.name()).toList().toString());
        assertEquals("workload_key ASC NULLS FIRST, event_time ASC NULLS FIRST", order(events));
        assertEquals("[minute_start_day]", partitionNames("rollups"));
        assertEquals("[detected_at_day]", partitionNames("findings"));
        assertEquals("[window_start_month]", partitionNames("regressions"));
        assertEquals("[]", partitionNames("bench_runs"));
        for (TableDefinition definition : HistoryTables.ALL) {
            Map<String, String> p = catalog.loadTable(HistoryTables.identifier(definition.name()))
                    .properties();
            assertEquals("parquet", p.get("write.format.default"), definition.name());
            assertEquals("zstd", p.get("write.parquet.compression-codec"), definition.name());
            assertTrue(Long.parseLong(p.get("write.target-file-size-bytes")) >= 8 << 20, definition.name());
        }
    }

    @Test
    void everyColumnIsDocumented() {
        for (TableDefinition definition : HistoryTables.ALL) {
            TypeUtil.indexById(definition.schema().asStruct()).values().stream()
                    .filter(field -> !isCollectionMember(definition.schema(), field.fieldId()))
                    .forEach(field -> assertFalse(
                            field.doc() == null || field.doc().isBlank(),
                            definition.name() + "." + field.name() + " has no doc"));
        }
    }

    @Test
    void creatingWhatExistsChangesNothing() {
        HistoryTables.ensureAll(catalog);
        List<String> before = metadataFiles();
        HistoryTables.ensureAll(catalog);
        assertEquals(before, metadataFiles());
    }

    @Test
    void anOlderTableGainsTheNewColumnsAndItsRowsStillRead() throws IOException {
        // bench_runs as it was before p999_latency and lost existed
        Schema current = BenchRunsTable.DEFINITION.schema();
        Schema older = TypeUtil.selectNot(
                current,
                java.util.Set.of(
                        current.findField("p999_latency").fieldId(),
                        current.findField("lost").fieldId()));
        TableDefinition olderDefinition = new TableDefinition(
                BenchRunsTable.NAME,
                "older",
                older,
                BenchRunsTable.DEFINITION.partitionSpec(),
                s -> org.apache.iceberg.SortOrder.unsorted(),
                BenchRunsTable.DEFINITION.properties());
        Table table = HistoryTables.ensure(catalog, olderDefinition);
        append(table, benchRun(table.schema(), "before", 100.0));

        HistoryTables.ensure(catalog, BenchRunsTable.DEFINITION);
        table.refresh();
        assertTrue(table.schema().findField("p999_latency") != null
                && table.schema().findField("lost") != null);
        Record later = benchRun(table.schema(), "after", 90.0);
        later.setField("lost", 7L);
        append(table, later);

        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
            read.forEach(rows::add);
        }
        rows.sort(java.util.Comparator.comparing(r -> (String) r.getField("run_id")));
        assertEquals(2, rows.size());
        Record old = rows.get(0).getField("run_id").equals("before") ? rows.get(0) : rows.get(1);
        Record fresh = old == rows.get(0) ? rows.get(1) : rows.get(0);
        assertEquals(100.0, old.getField("throughput"));
        assertEquals(Map.of("rate", "10000"), old.getField("parameters"));
        assertNull(old.getField("lost"), "a column added later is null in the rows written before");
        assertEquals(7L, fresh.getField("lost"));
    }

    private static Record benchRun(Schema schema, String runId, double throughput) {
        Record r = GenericRecord.create(schema);
        r.setField("started_at", OffsetDateTime.of(2026, 1, 5, 12, 0, 0, 0, ZoneOffset.UTC));
        r.setField("run_id", runId);
        r.setField("benchmark", "job");
        r.setField("case_name", "10000/s");
        r.setField("host", "ci");
        r.setField("throughput", throughput);
        r.setField("parameters", Map.of("rate", "10000"));
        return r;
    }

    private static void append(Table table, Record row) throws IOException {
        String path = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
        DataWriter<Record> writer = Parquet.writeData(table.io().newOutputFile(path))
                .schema(table.schema())
                .withSpec(table.spec())
                .createWriterFunc(GenericParquetWriter::create)
                .build();
        try (writer) {
            writer.write(row);
        }
        assertEquals(FileFormat.PARQUET, writer.toDataFile().format());
        table.newAppend().appendFile(writer.toDataFile()).commit();
    }

    private String partitionNames(String table) {
        return catalog.loadTable(HistoryTables.identifier(table)).spec().fields().stream()
                .map(f -> f.name())
                .toList()
                .toString();
    }

    private static String order(Table table) {
        return String.join(
                ", ",
                table.sortOrder().fields().stream()
                        .map(f ->
                                table.schema().findColumnName(f.sourceId()) + " " + f.direction() + " " + f.nullOrder())
                        .toList());
    }

    /** List elements and map keys and values are documented by their column. */
    private static boolean isCollectionMember(Schema schema, int id) {
        for (Types.NestedField f : TypeUtil.indexById(schema.asStruct()).values()) {
            Type t = f.type();
            if (t.isListType() && t.asListType().elementId() == id) {
                return true;
            }
            if (t.isMapType() && (t.asMapType().keyId() == id || t.asMapType().valueId() == id)) {
                return true;
            }
        }
        return false;
    }

    private List<String> metadataFiles() {
        List<String> files = new ArrayList<>();
        for (TableDefinition definition : HistoryTables.ALL) {
            Table table = catalog.loadTable(HistoryTables.identifier(definition.name()));
            files.add(((org.apache.iceberg.HasTableOperations) table)
                    .operations()
                    .current()
                    .metadataFileLocation());
        }
        return files;
    }
}
