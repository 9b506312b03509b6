package io.tapio.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * TABLES.md, the tables' documentation, says what the definitions say. When a definition
 * changes, this test fails and leaves the new text in target/TABLES.md to copy over.
 */
class TablesDocTest {
    @Test
    void tablesMdMatchesTheDefinitions() throws IOException {
        String expected = render();
        Path rendered = Path.of("target", "TABLES.md");
        Files.createDirectories(rendered.getParent());
        Files.writeString(rendered, expected);
        assertEquals(
                expected,
                Files.readString(Path.of("TABLES.md")),
                "TABLES.md is out of date: cp iceberg-schemas/target/TABLES.md iceberg-schemas/TABLES.md");
    }

    private static String render() {
        StringBuilder md = new StringBuilder("""
                # The history's tables

                Namespace `history` of the catalog (Flink SQL: catalog `tapio`, database `history`). Every table
                is Iceberg format 2, Parquet with zstd; creating a table that exists changes nothing, and a newer
                definition adds its optional columns to an existing table (old files read them as null).
                Generated from the definitions in `src/main/java/io/tapio/schemas` by `TablesDocTest`.
                """);
        for (TableDefinition t : HistoryTables.ALL) {
            md.append("\n## ")
                    .append(t.name())
                    .append("\n\n")
                    .append(t.doc())
                    .append(".\n\n")
                    .append("- partitioned by: ")
                    .append(
                            t.spec().isUnpartitioned()
                                    ? "nothing (small)"
                                    : String.join(
                                            ", ",
                                            t.spec().fields().stream()
                                                    .map(f -> f.transform() + "("
                                                            + t.schema().findColumnName(f.sourceId()) + ")")
                                                    .toList()))
                    .append("\n- sorted by: ")
                    .append(String.join(
                            ", ",
                            t.order().fields().stream()
                                    .map(f -> t.schema().findColumnName(f.sourceId()))
                                    .toList()))
                    .append("\n- target file size: ")
                    .append(Long.parseLong(t.properties().get("write.target-file-size-bytes")) >> 20)
                    .append(" MiB\n\n")
                    .append("| column | type | null | what |\n|---|---|---|---|\n");
            for (Types.NestedField f : t.schema().columns()) {
                md.append("| `")
                        .append(f.name())
                        .append("` | ")
                        .append(f.type())
                        .append(" | ")
                        .append(f.isOptional() ? "yes" : "no")
                        .append(" | ")
                        .append(f.doc())
                        .append(" |\n");
            }
        }
        return md.toString();
    }
}
