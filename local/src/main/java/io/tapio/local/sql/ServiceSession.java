package io.tapio.local.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A session of the resident SQL service, through the SQL Gateway's REST API (v3): each statement
 * is submitted, then its answer fetched page by page as JSON rows. Nothing of Flink runs here, so
 * that a client starts in a fraction of a second.
 */
public final class ServiceSession implements SqlSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The gateway closes a session idle for 10 minutes; a shell may wait longer for its next statement. */
    private static final Duration HEARTBEAT = Duration.ofMinutes(1);

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Every request answers at once (an answer not ready is fetched again), so a silent service has stopped. */
    private static final int READ_TIMEOUT_MILLIS = 60_000;
    /** How long to wait before fetching an answer that was not ready: doubled up to the maximum. */
    private static final long FIRST_WAIT_MILLIS = 2;

    private static final long MAX_WAIT_MILLIS = 50;

    private final String address;
    private final String session;
    private final Thread heartbeat;

    private ServiceSession(String address, String session) {
        this.address = address;
        this.session = "/v3/sessions/" + session;
        this.heartbeat =
                Thread.ofPlatform().daemon().name("tapio-sql-heartbeat").start(this::keepAlive);
    }

    /** Opens a session of the service on {@code port} of 127.0.0.1. */
    public static ServiceSession open(int port) throws SqlServiceException {
        String address = "127.0.0.1:" + port;
        try {
            JsonNode opened = request(address, "POST", "/v3/sessions", Map.of("sessionName", "tapio sql"));
            return new ServiceSession(address, opened.get("sessionHandle").asText());
        } catch (BadStatementException noStatementYet) {
            throw new SqlServiceException("the SQL service on " + address + " opened no session", noStatementYet);
        }
    }

    @Override
    public SqlAnswer run(String statement) throws BadStatementException, SqlServiceException, InterruptedException {
        String operation = session + "/operations/"
                + send("POST", session + "/statements", Map.of("statement", statement))
                        .get("operationHandle")
                        .asText();
        try {
            return answer(operation);
        } finally {
            close(operation);
        }
    }

    /** Fetches the operation's answer, page by page, until its end. */
    private SqlAnswer answer(String operation) throws BadStatementException, SqlServiceException, InterruptedException {
        List<String> columns = new ArrayList<>();
        List<JsonNode> types = new ArrayList<>();
        List<List<JsonNode>> rows = new ArrayList<>();
        String next = operation + "/result/0?rowFormat=JSON";
        long wait = FIRST_WAIT_MILLIS;
        while (next != null) {
            JsonNode page = send("GET", next, null);
            String kind = page.path("resultType").asText();
            // While the job runs, the gateway answers NOT_READY, or a page without rows: asking again
            // at once would keep a core of the service's busy answering instead of running the job.
            boolean nothingYet = kind.equals("NOT_READY")
                    || (kind.equals("PAYLOAD")
                            && page.path("results").path("data").isEmpty());
            if (nothingYet) {
                Thread.sleep(wait);
                wait = Math.min(wait * 2, MAX_WAIT_MILLIS);
            } else {
                wait = FIRST_WAIT_MILLIS;
            }
            if (!kind.equals("NOT_READY")) {
                JsonNode results = page.path("results");
                if (columns.isEmpty()) {
                    for (JsonNode column : results.path("columns")) {
                        columns.add(column.get("name").asText());
                        types.add(column.get("logicalType"));
                    }
                }
                for (JsonNode row : results.path("data")) {
                    List<JsonNode> values = new ArrayList<>(types.size());
                    for (int i = 0; i < types.size(); i++) {
                        values.add(value(row.get("fields").get(i), types.get(i)));
                    }
                    rows.add(values);
                }
            }
            next = kind.equals("EOS") ? null : page.path("nextResultUri").asText(null);
        }
        return new SqlAnswer(columns, rows);
    }

    /** Lets the service forget a statement, answered or failed; a service that is gone has forgotten it. */
    private void close(String operation) {
        try {
            send("DELETE", operation + "/close", null);
        } catch (BadStatementException | SqlServiceException forgotten) {
            // Nothing of it is left to close.
        }
    }

    @Override
    public String where() {
        return "the SQL service on " + address;
    }

    @Override
    public void close() {
        heartbeat.interrupt();
        try {
            send("DELETE", session, null);
        } catch (BadStatementException | SqlServiceException gone) {
            // Closed by the service already, or the service is gone: nothing is left open either way.
        }
    }

    private void keepAlive() {
        try {
            while (true) {
                Thread.sleep(HEARTBEAT);
                send("POST", session + "/heartbeat", Map.of());
            }
        } catch (InterruptedException closed) {
            // The session is closing.
        } catch (BadStatementException | SqlServiceException gone) {
            // The next statement says so.
        }
    }

    private JsonNode send(String method, String path, Object body) throws BadStatementException, SqlServiceException {
        return request(address, method, path, body);
    }

    private static JsonNode request(String address, String method, String path, Object body)
            throws BadStatementException, SqlServiceException {
        int status;
        JsonNode answer;
        try {
            // HttpURLConnection rather than java.net.http: the latter sets up TLS, hundreds of classes, before its
            // first plain HTTP request; a client that starts in a fraction of a second cannot pay for that.
            HttpURLConnection http = (HttpURLConnection)
                    URI.create("http://" + address + path).toURL().openConnection(Proxy.NO_PROXY);
            http.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            http.setReadTimeout(READ_TIMEOUT_MILLIS);
            http.setRequestMethod(method);
            if (body != null) {
                http.setDoOutput(true);
                http.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = http.getOutputStream()) {
                    JSON.writeValue(out, body);
                }
            }
            status = http.getResponseCode();
            try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
                byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
                answer = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            }
        } catch (IOException e) {
            throw new SqlServiceException(
                    "the SQL service on " + address + " stopped answering (" + e + "); "
                            + "./tapio sql answers in its own process while none runs",
                    e);
        }
        if (status != 200) {
            throw refused(address, status, answer.path("errors"));
        }
        return answer;
    }

    /**
     * What an answer other than 200 means: the planner's words when it refused the statement,
     * else what went wrong in the service, at the bottom of it.
     */
    private static BadStatementException refused(String address, int status, JsonNode errors)
            throws SqlServiceException {
        for (JsonNode error : errors) {
            if (error.asText().startsWith("<Exception on server side")) {
                ServerTrace trace = ServerTrace.parse(error.asText());
                List<String> messages = trace.statementMessages();
                if (messages.isEmpty()) {
                    throw new SqlServiceException("the SQL service on " + address + " failed: " + trace.rootCause());
                }
                return new BadStatementException(messages);
            }
        }
        throw new SqlServiceException("the SQL service on " + address + " answered " + status + ": " + errors);
    }

    /**
     * A value of the gateway's JSON rows as this process would give it: the gateway writes times
     * in its own ISO-8601 form, which is read and written again as {@link Instant} and {@code
     * java.time} do, through nested rows, maps and lists.
     */
    private static JsonNode value(JsonNode value, JsonNode type) {
        if (value == null || value.isNull()) {
            return JSON.nullNode();
        }
        return switch (type.path("type").asText()) {
            case "TIMESTAMP_WITH_LOCAL_TIME_ZONE" ->
                JSON.getNodeFactory().textNode(Instant.parse(value.asText()).toString());
            case "TIMESTAMP_WITHOUT_TIME_ZONE" ->
                JSON.getNodeFactory()
                        .textNode(LocalDateTime.parse(value.asText()).toString());
            case "DATE" ->
                JSON.getNodeFactory().textNode(LocalDate.parse(value.asText()).toString());
            case "TIME_WITHOUT_TIME_ZONE" ->
                JSON.getNodeFactory().textNode(LocalTime.parse(value.asText()).toString());
            case "ROW" -> {
                ObjectNode row = JSON.createObjectNode();
                for (JsonNode field : type.path("fields")) {
                    String name = field.get("name").asText();
                    row.set(name, value(value.get(name), field.get("fieldType")));
                }
                yield row;
            }
            case "MAP" -> {
                ObjectNode map = JSON.createObjectNode();
                value.properties().forEach(e -> map.set(e.getKey(), value(e.getValue(), type.get("valueType"))));
                yield map;
            }
            case "ARRAY" -> {
                var list = JSON.createArrayNode();
                value.forEach(element -> list.add(value(element, type.get("elementType"))));
                yield list;
            }
            default -> value;
        };
    }
}
