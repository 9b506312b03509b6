package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.history.HistoryConfig;
import io.tapio.schemas.HistoryTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What a data directory's history holds, read with Iceberg's API, as text a test can compare
 * between two runs: each row with the columns that say when the row was written (a wall clock,
 * which no two runs share) left out, maps in key order.
 */
final class HistoryRows {
    /** Per table the streaming job writes, the columns that record when a row was made rather than what it says. */
    static final Map<String, Set<String>> WALL_CLOCK = Map.of(
            "findings", Set.of("detected_at", "latency_ns"),
            "rollups", Set.of(),
            "regressions", Set.of("detected_at"),
            "events", Set.of());

    /** The tables the streaming job writes. */
    static final Set<String> JOB_TABLES = WALL_CLOCK.keySet();

    private final Catalog catalog;

    HistoryRows(Path dataDir) {
        this.catalog = HistoryConfig.hadoop(dataDir).catalogLoader().loadCatalog();
    }

    /** The table's rows, each as one line of text; empty when the table does not exist yet. */
    List<String> rows(String table) {
        return rows(table, r -> true);
    }

    private List<String> rows(String table, Predicate<Record> which) {
        List<String> rows = new ArrayList<>();
        for (Record r : records(table)) {
            if (which.test(r)) {
                rows.add(r.struct().fields().stream()
                        .filter(c -> !WALL_CLOCK.getOrDefault(table, Set.of()).contains(c.name()))
                        .map(c -> c.name() + "=" + text(r.getField(c.name())))
                        .collect(Collectors.joining(" ")));
            }
        }
        return rows;
    }

    /** The table's rows as Iceberg reads them; empty when the table does not exist yet. */
    List<Record> records(String table) {
        if (!catalog.tableExists(HistoryTables.identifier(table))) {
            return List.of();
        }
        List<Record> records = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(catalog.loadTable(HistoryTables.identifier(table)))
                .build()) {
            read.forEach(r -> records.add(r.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    long count(String table) {
        return rows(table).size();
    }

    /** Rows per table of the streaming job's. */
    Map<String, Long> counts() {
        return JOB_TABLES.stream().collect(Collectors.toMap(t -> t, this::count, (a, b) -> a, TreeMap::new));
    }

    /**
     * What the streaming job wrote to {@code actual}'s history is what it wrote to {@code
     * expected}'s: each row of rollups, regressions and events as many times (none lost, none
     * repeated, none other); in findings the same episodes, each opened and (once over) resolved
     * by the same report, and no report twice. Which updates an episode gets in between may
     * depend on when watermarks reach the correlator, which a replay as fast as possible runs far
     * ahead of: updates are held to being each once. Every table has rows to compare.
     */
    static void assertSameRows(HistoryRows expected, HistoryRows actual) {
        for (String table : JOB_TABLES) {
            Predicate<Record> compared =
                    table.equals("findings") ? r -> !"UPDATE".equals(r.getField("status")) : r -> true;
            Map<String, Long> want = counted(expected.rows(table, compared));
            Map<String, Long> got = counted(actual.rows(table, compared));
            assertTrue(!want.isEmpty(), "the run that was never stopped wrote rows to " + table);
            List<String> repeated = got.entrySet().stream()
                    .filter(e -> e.getValue() > want.getOrDefault(e.getKey(), 0L))
                    .map(e -> e.getValue() + "x " + e.getKey())
                    .toList();
            List<String> lost = want.entrySet().stream()
                    .filter(e -> got.getOrDefault(e.getKey(), 0L) < e.getValue())
                    .map(e -> e.getValue() + "x " + e.getKey())
                    .toList();
            assertEquals(List.of(), repeated, table + ": rows repeated or unknown after the restart");
            assertEquals(List.of(), lost, table + ": rows lost across the restart");
        }
        Map<String, Long> reports = counted(actual.records("findings").stream()
                .map(r -> r.getField("episode_id") + " " + r.getField("status") + " " + r.getField("event_count"))
                .toList());
        assertEquals(
                List.of(),
                reports.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList(),
                "findings: reports made twice");
        assertEquals(episodes(expected), episodes(actual), "findings: the episodes");
    }

    private static Set<String> episodes(HistoryRows history) {
        return history.records("findings").stream()
                .map(r -> (String) r.getField("episode_id"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Long> counted(List<String> rows) {
        return rows.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    private static String text(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> map ->
                new TreeMap<>(map.entrySet().stream()
                                .collect(Collectors.toMap(e -> text(e.getKey()), e -> text(e.getValue()))))
                        .toString();
            case List<?> list -> list.stream().map(HistoryRows::text).toList().toString();
            case Record record -> {
                List<String> fields = new ArrayList<>();
                for (int i = 0; i < record.size(); i++) {
                    fields.add(text(record.get(i)));
                }
                yield fields.toString();
            }
            default -> value.toString();
        };
    }
}
