package io.tapio.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a person sees of a running job in Flink's REST API (the web UI's data). */
final class FlinkRest {
    /** The eBPF reader's gauges exist once the reader got its node's split and loaded the programs. */
    static final String SPLIT_METRIC = "Source__kernel_events_(ebpf).ringFillRatio";
    /** Events that reached the job's first stage. */
    static final String EVENTS_METRIC = "entry.numRecordsIn";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    FlinkRest(String base) {
        this.base = base;
    }

    /** One parallel instance of the source: where it runs, whether it reads a kernel, how much it has read. */
    record Subtask(int index, String status, String host, boolean readsKernel, long events) {}

    /** A job as it stands: its state and the source's subtasks. */
    record Job(String state, List<Subtask> sources) {
        boolean runningWith(int parallelism) {
            return state.equals("RUNNING")
                    && sources.size() == parallelism
                    && sources.stream().allMatch(s -> s.status().equals("RUNNING"));
        }
    }

    int taskManagers() throws IOException {
        return get("/taskmanagers").path("taskmanagers").size();
    }

    Job job(String id) throws IOException {
        JsonNode job = get("/jobs/" + id);
        JsonNode source = null;
        for (JsonNode vertex : job.path("vertices")) {
            if (vertex.path("name").asText().contains("kernel events")) {
                source = vertex;
            }
        }
        if (source == null) {
            throw new IllegalStateException("job " + id + " has no kernel-events source: " + job.path("vertices"));
        }
        String vertex = "/jobs/" + id + "/vertices/" + source.path("id").asText();
        List<Subtask> subtasks = new ArrayList<>();
        for (JsonNode subtask : get(vertex).path("subtasks")) {
            int index = subtask.path("subtask").asInt();
            JsonNode metrics = get(vertex + "/subtasks/" + index + "/metrics?get="
                    + URLEncoder.encode(SPLIT_METRIC + "," + EVENTS_METRIC, StandardCharsets.UTF_8));
            boolean readsKernel = false;
            long events = 0;
            for (JsonNode metric : metrics) {
                if (metric.path("id").asText().equals(SPLIT_METRIC)) {
                    readsKernel = true;
                } else if (metric.path("id").asText().equals(EVENTS_METRIC)) {
                    events = metric.path("value").asLong();
                }
            }
            String endpoint = subtask.path("endpoint").asText();
            subtasks.add(new Subtask(
                    index,
                    subtask.path("status").asText(),
                    endpoint.substring(0, endpoint.lastIndexOf(':')),
                    readsKernel,
                    events));
        }
        return new Job(job.path("state").asText(), subtasks);
    }

    /** The failures the job went through, as the web UI's Exceptions tab lists them. */
    JsonNode exceptionHistory(String id) throws IOException {
        return get("/jobs/" + id + "/exceptions").path("exceptionHistory").path("entries");
    }

    private JsonNode get(String path) throws IOException {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
