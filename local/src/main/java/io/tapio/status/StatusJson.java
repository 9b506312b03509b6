package io.tapio.status;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

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

    public static TapioStatus read(String json) throws IOException {
        return MAPPER.readValue(json, TapioStatus.class);
    }
}
