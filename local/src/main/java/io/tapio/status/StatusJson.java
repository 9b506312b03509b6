package io.tapio.status;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The JSON form of {@link TapioStatus}: the same for the endpoint, the file and {@code check --json}. */
public final class StatusJson {
    /**
     * Unknown fields are skipped: a newer Tapio may add fields within a version. Strings are
     * written faithfully and safe for a terminal ({@link SafeJsonEscapes}).
     */
    private static final ObjectMapper MAPPER = SafeJsonEscapes.applyTo(new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));

    private StatusJson() {}

    public static String write(TapioStatus status) {
        try {
            return MAPPER.writeValueAsString(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @throws IOException when {@code json} is not a whole status: not JSON, a field of the
     *     wrong type, or one that {@code tapio check} shows missing, null or (a time) not an instant
     */
    public static TapioStatus read(String json) throws IOException {
        TapioStatus status = MAPPER.readValue(json, TapioStatus.class);
        if (status == null) {
            throw new IOException("not a Tapio status: null");
        }
        require(status.source(), "source");
        require(status.node(), "node");
        require(status.startedAt(), "startedAt");
        require(status.updatedAt(), "updatedAt");
        require(status.eventsPerSecond(), "eventsPerSecond");
        requireEach(status.eventsPerSecond().byType(), "eventsPerSecond.byType");
        require(status.latency(), "latency");
        require(status.kernel(), "kernel");
        requireEach(status.drops(), "drops");
        requireEach(status.unavailable(), "unavailable");
        for (TapioStatus.Finding f : requireEach(status.findings(), "findings")) {
            for (String field :
                    new String[] {f.pattern(), f.severity(), f.workload(), f.summary(), f.recommendation()}) {
                require(field, "a finding's field");
            }
            requireInstant(f.firstSeen(), "a finding's firstSeen");
            requireInstant(f.lastSeen(), "a finding's lastSeen");
        }
        require(status.health(), "health");
        for (TapioStatus.Problem p : requireEach(status.health().problems(), "health.problems")) {
            require(p.symptom(), "a problem's symptom");
            require(p.hint(), "a problem's hint");
        }
        requireEach(status.health().notes(), "health.notes");
        return status;
    }

    private static <T> T require(T value, String field) throws IOException {
        if (value == null) {
            throw new IOException("not a whole Tapio status: " + field + " is missing");
        }
        return value;
    }

    private static <T> List<T> requireEach(List<T> list, String field) throws IOException {
        for (T element : require(list, field)) {
            require(element, "an element of " + field);
        }
        return list;
    }

    private static <V> void requireEach(Map<String, V> map, String field) throws IOException {
        for (V value : require(map, field).values()) {
            require(value, "a value of " + field);
        }
    }

    private static void requireInstant(String time, String field) throws IOException {
        try {
            Instant.parse(require(time, field));
        } catch (DateTimeParseException e) {
            throw new IOException("not a whole Tapio status: " + field + " is not an instant", e);
        }
    }
}
