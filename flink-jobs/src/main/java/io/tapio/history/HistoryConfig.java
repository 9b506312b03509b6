package io.tapio.history;

import io.tapio.schemas.HistoryTables;
import java.io.IOException;
import java.io.Reader;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Where the history lives: an Iceberg catalog, described by the same properties as Flink SQL's
 * {@code CREATE CATALOG ... WITH ('type'='iceberg', ...)}, so that moving from the embedded
 * Hadoop catalog to a REST, Hive or JDBC catalog, or to object storage, is a properties file and
 * not a code change:
 *
 * <pre>
 * catalog-type=hadoop            # or hive, rest; or catalog-impl=org.apache.iceberg.jdbc.JdbcCatalog
 * warehouse=file:///var/lib/tapio/warehouse   # or s3://bucket/tapio (io-impl=...S3FileIO)
 * uri=https://catalog.example:8181            # rest, hive (thrift://), jdbc (jdbc:postgresql://...)
 * </pre>
 *
 * @param properties the catalog's properties, without Flink's {@code type}
 */
public record HistoryConfig(Map<String, String> properties) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The catalog's name in Flink SQL. */
    public static final String CATALOG = "tapio";
    /** The file that configures another catalog than the default, in the data directory. */
    public static final String PROPERTIES_FILE = "catalog.properties";

    public HistoryConfig {
        properties = Map.copyOf(new TreeMap<>(properties));
        if (!properties.containsKey("catalog-type") && !properties.containsKey("catalog-impl")) {
            throw new IllegalArgumentException("the catalog needs catalog-type (hadoop, hive, rest) or catalog-impl, "
                    + "e.g. catalog-impl=org.apache.iceberg.jdbc.JdbcCatalog; it has " + properties.keySet());
        }
    }

    /** The embedded default: a Hadoop catalog in {@code dataDir/warehouse}; nothing to install. */
    public static HistoryConfig hadoop(Path dataDir) {
        String warehouse = dataDir.toAbsolutePath().resolve("warehouse").toUri().toString();
        // Path.toUri ends in '/' once the directory exists: the same history has the same properties
        // before its first run as after (tapio sql finds the SQL service a run started by them).
        return new HistoryConfig(Map.of(
                "catalog-type",
                "hadoop",
                "warehouse",
                warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1) : warehouse));
    }

    /**
     * The catalog {@code file} describes, or when it is null, the one {@code dataDir/catalog.properties}
     * describes, or else the embedded default in {@code dataDir}.
     */
    public static HistoryConfig load(Path dataDir, Path file) {
        Path chosen = file != null ? file : dataDir.resolve(PROPERTIES_FILE);
        if (file == null && !Files.exists(chosen)) {
            return hadoop(dataDir);
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(chosen)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            // Its message is the path alone, which the line already names.
            throw new IllegalArgumentException("cannot read the catalog properties " + chosen + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the catalog properties " + chosen + ": " + e.getMessage(), e);
        }
        return new HistoryConfig(p.stringPropertyNames().stream().collect(Collectors.toMap(k -> k, p::getProperty)));
    }

    /** Loads the catalog where it is used: on the client, or in a Flink task. */
    public CatalogLoader catalogLoader() {
        Configuration hadoop = new Configuration();
        hadoop.set(LocalFilesWithoutChmod.SCHEME_IMPL, LocalFilesWithoutChmod.class.getName());
        // Hadoop caches one file system per scheme, whoever asked first with whatever settings
        // (the SQL service's catalog in the same process): this catalog makes its own.
        hadoop.setBoolean(LocalFilesWithoutChmod.SCHEME_IMPL + ".disable.cache", true);
        String impl = properties.get("catalog-impl");
        if (impl != null) {
            return CatalogLoader.custom(CATALOG, properties, hadoop, impl);
        }
        return switch (properties.get("catalog-type")) {
            case "hadoop" -> CatalogLoader.hadoop(CATALOG, hadoop, properties);
            case "hive" -> CatalogLoader.hive(CATALOG, hadoop, properties);
            case "rest" -> CatalogLoader.rest(CATALOG, hadoop, properties);
            default ->
                throw new IllegalArgumentException("unknown catalog-type '" + properties.get("catalog-type")
                        + "': hadoop, hive or rest, or set catalog-impl");
        };
    }

    /** The database of the history's tables in the catalog, as Flink SQL names it. */
    public static String database() {
        return HistoryTables.NAMESPACE.level(0);
    }

    /** Whether the catalog holds a history yet: a run, or a command that records, has written to it. */
    public boolean exists() {
        return catalogLoader().loadCatalog() instanceof SupportsNamespaces namespaces
                && namespaces.namespaceExists(HistoryTables.NAMESPACE);
    }

    /** The catalog's options in Flink: its properties, as Iceberg's catalog, {@code 'type'='iceberg'}. */
    public Map<String, String> catalogOptions() {
        Map<String, String> options = new TreeMap<>(properties);
        options.put("type", "iceberg");
        return options;
    }

    /** The Flink SQL statement that registers the catalog as {@value #CATALOG}. */
    public String createCatalogStatement() {
        return "CREATE CATALOG " + CATALOG + " WITH ("
                + catalogOptions().entrySet().stream()
                        .map(e -> "'" + quote(e.getKey()) + "'='" + quote(e.getValue()) + "'")
                        .collect(Collectors.joining(", "))
                + ")";
    }

    private static String quote(String s) {
        return s.replace("'", "''");
    }
}
