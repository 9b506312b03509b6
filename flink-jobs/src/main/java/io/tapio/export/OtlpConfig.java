package io.tapio.export;

import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where findings go as OTLP log records: the receiver's logs URL (OTLP/HTTP with protobuf),
 * the headers it wants (an API key), how many records may wait for it, and how long one export
 * may take.
 *
 * @param logsEndpoint the full URL, e.g. {@code http://collector:4318/v1/logs}
 * @param headers sent with every export; never printed (they often carry credentials)
 */
public record OtlpConfig(String logsEndpoint, Map<String, String> headers, int queue, Duration timeout)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_QUEUE = 2_048;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final String LOGS_PATH = "v1/logs";

    public OtlpConfig {
        Objects.requireNonNull(logsEndpoint, "logsEndpoint");
        headers = Map.copyOf(headers);
        URI uri;
        try {
            uri = URI.create(logsEndpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + logsEndpoint + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "the OTLP endpoint must be an http:// or https:// URL with a host, not '" + logsEndpoint + "'");
        }
        if (queue < 1) {
            throw new IllegalArgumentException("the OTLP queue must hold at least 1 record, not " + queue);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the OTLP timeout must be positive: " + timeout);
        }
    }

    /**
     * The receiver the options or else the standard variables name, as the OpenTelemetry SDKs
     * read them: {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT} (the logs URL as it is), else
     * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (a base URL, {@code /v1/logs} appended), and the
     * headers of {@code OTEL_EXPORTER_OTLP_HEADERS} and {@code OTEL_EXPORTER_OTLP_LOGS_HEADERS}
     * ({@code key=value,...}, values URL-encoded). Empty when neither names one: OTLP is off.
     *
     * @param endpoint {@code --otlp-endpoint}: a base URL like the variable's; a URL that
     *     already ends in {@code /v1/logs} is taken as it is; null when not given
     * @param headers {@code --otlp-header}s, which win over the variables' headers
     * @throws IllegalArgumentException a malformed URL or header, or a protocol other than http/protobuf
     */
    public static Optional<OtlpConfig> resolve(
            String endpoint, Map<String, String> headers, Map<String, String> environment) {
        for (String variable : new String[] {"OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"}) {
            String protocol = environment.get(variable);
            if (protocol != null && !protocol.isBlank() && !protocol.trim().equals("http/protobuf")) {
                throw new IllegalArgumentException(variable + "=" + protocol + ": Tapio exports OTLP over HTTP with "
                        + "protobuf (http/protobuf); point it at the receiver's HTTP port (4318 by default)");
            }
        }
        String given;
        String url;
        if (endpoint != null && !endpoint.isBlank()) {
            given = "--otlp-endpoint " + endpoint;
            url = endpoint.trim().replaceAll("/+$", "").endsWith("/" + LOGS_PATH) ? endpoint.trim() : logsUrl(endpoint);
        } else if (present(environment, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT")) {
            given = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=" + environment.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT");
            url = environment.get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT").trim();
        } else if (present(environment, "OTEL_EXPORTER_OTLP_ENDPOINT")) {
            given = "OTEL_EXPORTER_OTLP_ENDPOINT=" + environment.get("OTEL_EXPORTER_OTLP_ENDPOINT");
            url = logsUrl(environment.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        } else {
            return Optional.empty();
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.putAll(headers(environment, "OTEL_EXPORTER_OTLP_HEADERS"));
        all.putAll(headers(environment, "OTEL_EXPORTER_OTLP_LOGS_HEADERS"));
        all.putAll(headers);
        try {
            return Optional.of(new OtlpConfig(url, all, DEFAULT_QUEUE, DEFAULT_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(given + ": " + e.getMessage() + " (e.g. http://collector:4318)", e);
        }
    }

    public OtlpConfig withQueue(int records) {
        return new OtlpConfig(logsEndpoint, headers, records, timeout);
    }

    private static String logsUrl(String base) {
        String trimmed = base.trim();
        return trimmed + (trimmed.endsWith("/") ? "" : "/") + LOGS_PATH;
    }

    private static boolean present(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        return value != null && !value.isBlank();
    }

    private static Map<String, String> headers(Map<String, String> environment, String variable) {
        Map<String, String> parsed = new LinkedHashMap<>();
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            return parsed;
        }
        for (String pair : value.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(
                        variable + " holds '" + pair.trim() + "', not key=value (pairs separated by commas)");
            }
            parsed.put(
                    pair.substring(0, equals).trim(),
                    URLDecoder.decode(pair.substring(equals + 1).trim(), StandardCharsets.UTF_8));
        }
        return parsed;
    }

    /** The headers' names only: their values are often credentials. */
    @Override
    public String toString() {
        return "OtlpConfig[" + logsEndpoint + ", headers " + headers.keySet() + ", queue " + queue + ", timeout "
                + timeout + "]";
    }
}
