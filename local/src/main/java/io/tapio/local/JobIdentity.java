package io.tapio.local;

import io.tapio.history.HistoryConfig;
import io.tapio.job.SourceSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a run's checkpoints hold the state of: where its events came from and where its history
 * went. A checkpoint resumes only into a job of the same identity: the replay position of one
 * capture, the Kafka offsets of one topic, or the Iceberg sinks' uncommitted files of one
 * catalog mean nothing to another.
 *
 * @param source the source: {@code ebpf}, {@code synthetic}, {@code replay:} and the capture's
 *     absolute path, {@code kafka:} and the brokers, topic and consumer group
 * @param history {@code none}, or the catalog: its type, {@code uri} and {@code warehouse}
 *     (never its other properties, which may hold credentials)
 */
public record JobIdentity(String source, String history) {
    static final String FILE = "job.properties";

    public static JobIdentity of(SourceSpec source, HistoryConfig history) {
        return new JobIdentity(source(source), history(history));
    }

    private static String source(SourceSpec spec) {
        return switch (spec) {
            case SourceSpec.Ebpf ignored -> "ebpf";
            case SourceSpec.Synthetic ignored -> "synthetic";
            case SourceSpec.Replay replay ->
                "replay:" + replay.file().toAbsolutePath().normalize();
            case SourceSpec.Kafka kafka ->
                "kafka:" + kafka.topic().topic() + " at " + kafka.topic().bootstrapServers() + " (group "
                        + kafka.topic().groupId() + ")";
        };
    }

    private static String history(HistoryConfig history) {
        if (history == null) {
            return "none";
        }
        var properties = history.properties();
        return Stream.of("catalog-type", "catalog-impl", "uri", "warehouse")
                .filter(properties::containsKey)
                .map(key -> key + "=" + withoutSecrets(properties.get(key)))
                .collect(Collectors.joining(" "));
    }

    /**
     * A location as it identifies the catalog: without the user, password and query a URI may
     * carry (this is written to disk and printed), and without a trailing '/' (a directory's URI
     * ends in one once it exists: the same catalog either way).
     */
    private static String withoutSecrets(String location) {
        return location.replaceFirst("//[^/@]*@", "//")
                .replaceFirst("[?;].*$", "")
                .replaceAll("/+$", "");
    }

    /** Writes this identity into a job's checkpoint directory. */
    void writeTo(Path jobDirectory) throws IOException {
        Properties p = new Properties();
        p.setProperty("source", source);
        p.setProperty("history", history);
        Files.createDirectories(jobDirectory);
        try (Writer out = Files.newBufferedWriter(jobDirectory.resolve(FILE), StandardCharsets.UTF_8)) {
            p.store(out, "what the checkpoints beside this file hold the state of (tapio run)");
        }
    }

    /** The identity a job's checkpoint directory was written with; null when it has none (not Tapio's, or older). */
    static JobIdentity readFrom(Path jobDirectory) throws IOException {
        Path file = jobDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String source = p.getProperty("source");
        String history = p.getProperty("history");
        return source == null || history == null ? null : new JobIdentity(source, history);
    }
}
