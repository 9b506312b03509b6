package io.tapio.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Spark, from its own released packages ({@code spark-sql} and Iceberg's Spark runtime,
 * nothing of Flink on this class path), reads every table Tapio writes in its warehouse on disk
 * and gets the same rows as {@code tapio sql}. Tapio writes the history (the fixture of
 * flink-jobs' tests, through the job's Iceberg sinks, and what {@code tapio regress} finds in it)
 * and answers {@code tapio sql} in processes of its own, with the class path {@code ./tapio} runs with.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SparkReadsTheHistoryTest {
    private static final Path ROOT =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(2);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** What Tapio writes (iceberg-schemas/TABLES.md). */
    private static final List<String> TABLES = List.of("bench_runs", "events", "findings", "regressions", "rollups");

    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void tapioWritesAHistory() throws Exception {
        fixture(dir);
        tapio("", "regress", "--at", "2026-01-08T15:00:00Z", "--data-dir", dir.toString());
        spark = SparkSession.builder()
                .master("local[1]")
                .appName("tapio history")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.sql.catalog.tapio", "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog.tapio.type", "hadoop")
                .config(
                        "spark.sql.catalog.tapio.warehouse",
                        dir.resolve("warehouse").toUri().toString())
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void sparkReadsEveryTableTapioWritesAsTapioSqlDoes() throws Exception {
        List<String> listed = spark.sql("SHOW TABLES IN tapio.history").collectAsList().stream()
                .map(row -> row.getString(1))
                .sorted()
                .toList();
        assertEquals(TABLES, listed, "Spark lists Tapio's tables");
        List<JsonNode> answers =
                tapioSql(TABLES.stream().map(t -> "SELECT * FROM " + t).toList());
        assertEquals(TABLES.size(), answers.size(), "tapio sql answers each table");
        for (int i = 0; i < TABLES.size(); i++) {
            String table = TABLES.get(i);
            List<JsonNode> rows = new ArrayList<>();
            answers.get(i).forEach(rows::add);
            Map<JsonNode, Integer> tapio = multiset(rows);
            Map<JsonNode, Integer> read = multiset(spark("SELECT * FROM tapio.history." + table));
            assertTrue(!tapio.isEmpty(), table + " has rows");
            assertEquals(tapio, read, table);
        }
    }

    /** The statements' answers as {@code tapio sql --format json} gives them, from one shell (one planner). */
    private static List<JsonNode> tapioSql(List<String> statements) throws Exception {
        String out =
                tapio(String.join(";\n", statements) + ";\n", "sql", "--format", "json", "--data-dir", dir.toString());
        List<JsonNode> answers = new ArrayList<>();
        try (JsonParser values = JSON.createParser(out)) {
            while (values.nextToken() != null) {
                answers.add(values.readValueAsTree());
            }
        }
        return answers;
    }

    /** A table's rows as Spark reads them, each as JSON the way tapio sql writes a row. */
    private static List<JsonNode> spark(String statement) {
        var answer = spark.sql(statement);
        StructType schema = answer.schema();
        List<JsonNode> rows = new ArrayList<>();
        for (Row row : answer.collectAsList()) {
            rows.add(struct(row, schema));
        }
        return rows;
    }

    private static ObjectNode struct(Row row, StructType schema) {
        ObjectNode object = NODES.objectNode();
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            object.set(fields[i].name(), value(row.isNullAt(i) ? null : row.get(i), fields[i].dataType(), row, i));
        }
        return object;
    }

    private static JsonNode value(Object value, DataType type, Row row, int i) {
        return switch (value) {
            case null -> NODES.nullNode();
            case Row nested when type instanceof StructType struct -> struct(nested, struct);
            case scala.collection.Map<?, ?> ignored
            when type instanceof MapType map -> {
                ObjectNode object = NODES.objectNode();
                row.getJavaMap(i).forEach((k, v) -> object.set(String.valueOf(k), element(v, map.valueType())));
                yield object;
            }
            case scala.collection.Seq<?> ignored
            when type instanceof ArrayType array -> {
                ArrayNode list = NODES.arrayNode();
                row.getList(i).forEach(v -> list.add(element(v, array.elementType())));
                yield list;
            }
            default -> element(value, type);
        };
    }

    /** A value inside a map or list, or a plain one. */
    private static JsonNode element(Object value, DataType type) {
        return switch (value) {
            case null -> NODES.nullNode();
            case Row nested when type instanceof StructType struct -> struct(nested, struct);
            case Instant instant -> NODES.textNode(instant.toString());
            case LocalDateTime time -> NODES.textNode(time.toString());
            case Integer n -> NODES.numberNode(n);
            case Long n -> NODES.numberNode(n);
            case Double n -> NODES.numberNode(n);
            case BigDecimal n -> NODES.numberNode(n);
            case Boolean b -> NODES.booleanNode(b);
            default -> NODES.textNode(value.toString());
        };
    }

    /**
     * Rows counted by their value, read back from their text so that both sides' numbers are
     * the same kind of node; a table read whole has no order.
     */
    private static Map<JsonNode, Integer> multiset(List<JsonNode> rows) throws IOException {
        Map<JsonNode, Integer> counted = new HashMap<>();
        for (JsonNode row : rows) {
            counted.merge(JSON.readTree(row.toString()), 1, Integer::sum);
        }
        return counted;
    }

    /** The fixture of flink-jobs' tests, written as the streaming job writes the history. */
    private static void fixture(Path dataDir) throws Exception {
        run(
                classPath()
                        + File.pathSeparator
                        + jar(ROOT.resolve("flink-jobs/target"), "tapio-flink-jobs-", "-tests.jar"),
                "",
                "io.tapio.history.HistoryFixture",
                dataDir.toString());
    }

    /** The class path ./tapio runs with. */
    private static String classPath() throws IOException {
        Path cli = ROOT.resolve("cli/target");
        return String.join(
                File.pathSeparator,
                jar(cli, "tapio-cli-"),
                Files.readString(cli.resolve("tapio.classpath")).strip(),
                Files.readString(cli.resolve("flink.classpath")).strip());
    }

    /** {@code tapio ARGS} in a JVM of its own, {@code stdin} typed in; its standard output. */
    private static String tapio(String stdin, String... args) throws Exception {
        return run(classPath(), stdin, "io.tapio.cli.Tapio", args);
    }

    /**
     * {@code mainClass args...} in a JVM of its own, as the launcher runs it, {@code stdin} typed
     * in and then closed; its standard output. Bounded: a process that has not ended within
     * {@link #PROCESS_TIMEOUT} is killed and fails the test.
     */
    private static String run(String classPath, String stdin, String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "@" + ROOT.resolve("launcher/jvm.options"),
                "-Dlog.file=" + dir.resolve("tapio.log"),
                "-cp",
                classPath,
                mainClass));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", "");
        Path err = Files.createTempFile(dir, "err", "");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // Its own registry of SQL services: none runs for this history, and no other is found.
        builder.environment().put("XDG_RUNTIME_DIR", dir.resolve("runtime").toString());
        builder.environment().put("TAPIO_HOME", dir.resolve("home").toString());
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(mainClass + " " + String.join(" ", args) + " did not end within " + PROCESS_TIMEOUT
                    + ":\n" + Files.readString(err));
        }
        int exit = process.exitValue();
        // tapio regress exits 1 when it found regressions, as the fixture has.
        if (exit != 0 && !(args.length > 0 && args[0].equals("regress") && exit == 1)) {
            throw new AssertionError(mainClass + " " + String.join(" ", args) + " exited " + exit + ":\n"
                    + Files.readString(err) + Files.readString(out));
        }
        return Files.readString(out);
    }

    private static String jar(Path target, String prefix) throws IOException {
        return jar(target, prefix, ".jar");
    }

    private static String jar(Path target, String prefix, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .filter(f -> f.getFileName().toString().endsWith(suffix))
                    .filter(f -> suffix.equals("-tests.jar")
                            || !f.getFileName().toString().endsWith("-tests.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("build " + target + " first: no " + prefix + "*" + suffix))
                    .toString();
        }
    }
}
