package io.tapio.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code tapio check --json} version 1, every documented field, held to a file: a field renamed
 * or removed breaks the scripts that read it, so it fails here first. Adding a field means
 * adding it to the golden file (and to README).
 */
class StatusJsonGoldenTest {
    @Test
    void versionOneHasEveryDocumentedFieldUnderItsName() throws IOException {
        TapioStatus status = new TapioStatus(
                TapioStatus.VERSION,
                true,
                "ebpf",
                "node-a",
                "2026-12-02T20:00:00Z",
                "2026-12-02T20:10:00Z",
                123_456,
                new TapioStatus.Rates(250.0, new TreeMap<>(Map.of("exec", 50.0, "exit", 200.0))),
                new TapioStatus.Latency(2_000, 1e-4, 2e-4, 4e-4),
                new TapioStatus.Kernel(1_000, 700, 250, 50),
                Map.of("ring_full", 50L),
                0.25,
                Map.of("oom_kill", "no such tracepoint"),
                List.of(HealthAdvisorTest.finding("critical")),
                new TapioStatus.Health(
                        false,
                        List.of(new TapioStatus.Problem("ring-buffer overflow", "give the ring more room")),
                        List.of("no oom_kill events: no such tracepoint")));
        assertHeldBy("status-v1.json", status);
    }

    /**
     * A healthy run that has seen no event in the last interval: the latency's quantiles are
     * null (not 0, which would read as measured), the maps and lists empty, not missing.
     */
    @Test
    void anIdleHealthyRunHasNullLatencyAndEmptyCollections() throws IOException {
        TapioStatus status = new TapioStatus(
                TapioStatus.VERSION,
                true,
                "synthetic",
                "node-a",
                "2026-12-02T20:00:00Z",
                "2026-12-02T20:00:01Z",
                0,
                new TapioStatus.Rates(0.0, new TreeMap<>()),
                new TapioStatus.Latency(0, null, null, null),
                new TapioStatus.Kernel(0, 0, 0, 0),
                Map.of(),
                0.0,
                Map.of(),
                List.of(),
                new TapioStatus.Health(true, List.of(), List.of()));
        assertHeldBy("status-v1-idle.json", status);
    }

    private void assertHeldBy(String file, TapioStatus status) throws IOException {
        String golden;
        try (InputStream in = getClass().getResourceAsStream(file)) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(golden.strip(), StatusJson.write(status).strip());
        assertEquals(status, StatusJson.read(golden), "and it reads back as it was");
    }
}
