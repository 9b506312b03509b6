package io.tapio.local.sql;

import io.tapio.history.HistoryConfig;
import io.tapio.status.ProcessRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SQL services this user runs, each with the history it serves, so that {@code tapio sql}
 * finds the one over its own history: their port, data directory, and a digest of their catalog's
 * properties (the properties themselves may hold credentials, which have no place in a registry).
 */
public final class SqlServices {
    private final ProcessRegistry registry;

    /** A running service: its process, its port on 127.0.0.1, the data directory and catalog it serves. */
    public record Running(long pid, int port, Path dataDir, String catalog) {}

    public SqlServices(ProcessRegistry registry) {
        this.registry = registry;
    }

    public static SqlServices forThisUser() {
        return new SqlServices(ProcessRegistry.forThisUser("sql"));
    }

    void register(int port, Path dataDir, HistoryConfig history) {
        registry.register(
                ProcessHandle.current().pid(),
                List.of(Integer.toString(port), dataDir.toAbsolutePath().toString(), digest(history)));
    }

    void unregister() {
        registry.unregister(ProcessHandle.current().pid());
    }

    /** The services whose process still runs. */
    public List<Running> list() {
        List<Running> running = new ArrayList<>();
        for (Map.Entry<Long, List<String>> e : registry.list().entrySet()) {
            List<String> lines = e.getValue();
            try {
                running.add(
                        new Running(e.getKey(), Integer.parseInt(lines.get(0)), Path.of(lines.get(1)), lines.get(2)));
            } catch (RuntimeException unreadable) {
                // Not a service's file: nothing to find there.
            }
        }
        return running;
    }

    /** A service over this history, if one runs. */
    public Optional<Running> serving(HistoryConfig history) {
        String catalog = digest(history);
        return list().stream().filter(s -> s.catalog().equals(catalog)).findFirst();
    }

    /** The same for the same catalog properties, whatever their order. */
    static String digest(HistoryConfig history) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(history.properties())
                .forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
