package io.tapio.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OTLP receiver is found as the OpenTelemetry SDKs find it, and a wrong one is refused with the reason. */
class OtlpConfigTest {
    @Test
    void offUnlessAnOptionOrAVariableNamesAReceiver() {
        assertTrue(OtlpConfig.resolve(null, Map.of(), Map.of()).isEmpty());
    }

    @Test
    void theBaseEndpointGetsTheLogsPathAndTheLogsEndpointIsTakenAsItIs() {
        assertEquals(
                "http://collector:4318/v1/logs",
                OtlpConfig.resolve(null, Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))
                        .orElseThrow()
                        .logsEndpoint());
        assertEquals(
                "https://otlp.example/custom/logs",
                OtlpConfig.resolve(
                                null,
                                Map.of(),
                                Map.of(
                                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/",
                                        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "https://otlp.example/custom/logs"))
                        .orElseThrow()
                        .logsEndpoint());
        assertEquals(
                "http://127.0.0.1:4318/v1/logs",
                OtlpConfig.resolve(
                                "http://127.0.0.1:4318/",
                                Map.of(),
                                Map.of("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "https://elsewhere/v1/logs"))
                        .orElseThrow()
                        .logsEndpoint(),
                "the option wins");
        assertEquals(
                "http://127.0.0.1:4318/v1/logs",
                OtlpConfig.resolve("http://127.0.0.1:4318/v1/logs", Map.of(), Map.of())
                        .orElseThrow()
                        .logsEndpoint());
    }

    @Test
    void headersComeFromBothVariablesDecodedAndTheOptionsWin() {
        OtlpConfig config = OtlpConfig.resolve(
                        "http://127.0.0.1:4318",
                        Map.of("x-team", "sre"),
                        Map.of(
                                "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20abc, x-team=dev",
                                "OTEL_EXPORTER_OTLP_LOGS_HEADERS", "x-tenant=shop"))
                .orElseThrow();
        assertEquals(Map.of("Authorization", "Bearer abc", "x-team", "sre", "x-tenant", "shop"), config.headers());
        assertFalse(config.toString().contains("abc"), "credentials stay out of logs: " + config);
    }

    @Test
    void aWrongReceiverIsRefusedWithTheReason() {
        assertEquals(
                "OTEL_EXPORTER_OTLP_PROTOCOL=grpc: Tapio exports OTLP over HTTP with protobuf (http/protobuf); "
                        + "point it at the receiver's HTTP port (4318 by default)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> OtlpConfig.resolve(
                                        "http://127.0.0.1:4317",
                                        Map.of(),
                                        Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                        .getMessage());
        assertEquals(
                "--otlp-endpoint collector:4318: the OTLP endpoint must be an http:// or https:// URL with a host, "
                        + "not 'collector:4318/v1/logs' (e.g. http://collector:4318)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> OtlpConfig.resolve("collector:4318", Map.of(), Map.of()))
                        .getMessage());
        assertEquals(
                "OTEL_EXPORTER_OTLP_HEADERS holds 'novalue', not key=value (pairs separated by commas)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> OtlpConfig.resolve(
                                        "http://127.0.0.1:4318",
                                        Map.of(),
                                        Map.of("OTEL_EXPORTER_OTLP_HEADERS", "novalue")))
                        .getMessage());
    }
}
