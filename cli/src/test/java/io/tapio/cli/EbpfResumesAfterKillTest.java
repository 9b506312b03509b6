package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.testing.WorkloadCgroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapio run} on this machine's kernel, killed with SIGKILL while a program in a cgroup
 * of the test's keeps failing (it cannot open its configuration file, and a shell loop starts it
 * again), then started again on the same data directory while the loop goes on: the incident
 * that was open before the kill goes on after it, reported under the episode it had, and none
 * opens anew. The kernel's events while nothing watched are not replayed; the restart and that
 * time are counted.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class EbpfResumesAfterKillTest {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Pattern METRICS = Pattern.compile("metrics +(http://127\\.0\\.0\\.1:\\d+/metrics)");

    @TempDir
    Path dir;

    @Test
    void anIncidentOpenBeforeTheKillGoesOnUnderItsEpisodeAfterTheRestart() throws Exception {
        String name = "tapio-resume-" + UUID.randomUUID();
        String missing = "/tmp/" + name + "/config.yaml";
        Path data = dir.resolve("data");
        Path logs = dir.resolve("logs");
        String[] ebpf = {"--source", "ebpf", "--checkpoint-interval", "1s"};
        HistoryRows history = new HistoryRows(data);
        try (WorkloadCgroup cgroup = WorkloadCgroup.create(name)) {
            List<Record> beforeTheKill;
            try (TapioRun first = TapioRun.start(data, logs, "first", ebpf)) {
                first.awaitCompletedCheckpoint(WAIT); // the programs are attached
                new ProcessBuilder(cgroup.wrap("/bin/sh -c 'while true; do /bin/cat " + missing + "; sleep 0.7; done'"))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                // A report in the history was committed by a checkpoint that holds its episode.
                first.await(
                        "the incident in the history",
                        WAIT,
                        () -> !findings(history, name).isEmpty());
                first.kill();
                beforeTheKill = findings(history, name);
            }
            Set<String> episodes = field(beforeTheKill, "episode_id");
            OffsetDateTime killed = OffsetDateTime.now();

            try (TapioRun second = TapioRun.start(data, logs, "second", ebpf)) {
                second.await(
                        "a report after the restart",
                        WAIT,
                        () -> findings(history, name).stream()
                                .anyMatch(r -> ((OffsetDateTime) r.getField("detected_at")).isAfter(killed)));
                List<Record> afterTheRestart = findings(history, name).stream()
                        .filter(r -> ((OffsetDateTime) r.getField("detected_at")).isAfter(killed))
                        .toList();
                assertTrue(
                        episodes.containsAll(field(afterTheRestart, "episode_id")),
                        "the reports after the restart continue the episodes from before the kill " + episodes + ": "
                                + afterTheRestart);
                assertEquals(Set.of("UPDATE"), field(afterTheRestart, "status"), afterTheRestart.toString());
                assertTrue(second.output().lines().anyMatch(TapioRun::saysItResumed), second.output());
                assertTrue(
                        restarts(second) >= 1,
                        "the restart is counted: the kernel's events while nothing watched are lost");
            }
        }
    }

    private static List<Record> findings(HistoryRows history, String workload) {
        return history.records("findings").stream()
                .filter(r -> ((String) r.getField("workload_key")).contains(workload))
                .toList();
    }

    private static Set<String> field(List<Record> rows, String name) {
        return rows.stream().map(r -> (String) r.getField(name)).collect(Collectors.toSet());
    }

    /** {@code tapio_source_restarts_total} of the run, from its Prometheus endpoint. */
    private static double restarts(TapioRun run) throws Exception {
        Matcher url = METRICS.matcher(run.out());
        assertTrue(url.find(), run.out());
        String scrape = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url.group(1))).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        return scrape.lines()
                .filter(l -> l.startsWith("tapio_source_restarts_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
