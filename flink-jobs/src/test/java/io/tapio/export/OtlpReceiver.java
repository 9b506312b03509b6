package io.tapio.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP logs receiver on 127.0.0.1, as an OpenTelemetry Collector's {@code otlp}
 * receiver serves {@code /v1/logs}: it decodes each request's protobuf with the OTLP
 * definitions (opentelemetry-proto) and answers with an empty success. It can hold its answers
 * until released, as a receiver that hangs.
 */
final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final List<ExportLogsServiceRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    private final CountDownLatch arrived = new CountDownLatch(1);
    private volatile CountDownLatch hold;

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v1/logs", this::receive);
        server.setExecutor(threads);
        server.start();
    }

    /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT or --otlp-endpoint give it. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers nothing until {@link #release}. */
    void hold() {
        hold = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch held = hold;
        if (held != null) {
            held.countDown();
        }
    }

    void awaitFirstRequest() throws InterruptedException {
        arrived.await();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody())
                    : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.add(ExportLogsServiceRequest.parseFrom(body));
            headers.add(exchange.getRequestHeaders());
            arrived.countDown();
            CountDownLatch held = hold;
            if (held != null) {
                held.await();
            }
            byte[] answer = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    /** A log record as received, with its resource's attributes. */
    record Received(LogRecord record, Map<String, Object> attributes, Map<String, Object> resource) {
        String string(String key) {
            return (String) attributes.get(key);
        }
    }

    List<Received> records() {
        List<Received> all = new ArrayList<>();
        for (ExportLogsServiceRequest request : requests) {
            for (ResourceLogs resource : request.getResourceLogsList()) {
                Map<String, Object> resourceAttributes =
                        attributes(resource.getResource().getAttributesList());
                for (ScopeLogs scope : resource.getScopeLogsList()) {
                    for (LogRecord record : scope.getLogRecordsList()) {
                        all.add(new Received(record, attributes(record.getAttributesList()), resourceAttributes));
                    }
                }
            }
        }
        return all;
    }

    /** The value of a header in every request. */
    List<String> header(String name) {
        return headers.stream()
                .map(h -> h.getOrDefault(name, List.of()).toString())
                .toList();
    }

    private static Map<String, Object> attributes(List<KeyValue> list) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            map.put(kv.getKey(), value(kv.getValue()));
        }
        return map;
    }

    private static Object value(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> value.getIntValue();
            case BOOL_VALUE -> value.getBoolValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case ARRAY_VALUE ->
                value.getArrayValue().getValuesList().stream()
                        .map(OtlpReceiver::value)
                        .toList();
            default -> value.toString();
        };
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
