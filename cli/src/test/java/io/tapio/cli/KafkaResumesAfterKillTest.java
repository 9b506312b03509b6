package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.kafka.AgentBatchWriter;
import io.tapio.kafka.KafkaBroker;
import io.tapio.model.Workload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapio run --source kafka} killed with SIGKILL while a node's agent keeps publishing,
 * then started again on the same data directory: the second run resumes from the Kafka offsets
 * and the state of its last checkpoint, and the history holds every row of findings, rollups,
 * regressions and events exactly as a run over the same topic that was never killed. A real
 * KRaft broker runs in this JVM; the runs are processes of their own.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class KafkaResumesAfterKillTest {
    private static final String TOPIC = "tapio.events";
    private static final String NODE = "node-published";
    /** The timeline's ninety-three minutes, published over about forty seconds (and the kill). */
    private static final Duration PUBLISH_EVERY = Duration.ofMillis(100);

    private static final Duration RUN = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void aRunKilledWhileAgentsPublishResumesAndTheHistoryIsThatOfARunNeverKilled() throws Exception {
        List<KernelEvent> timeline = IncidentTimeline.events();
        // The agents publish what the job keeps; the history's events table leaves execs out.
        long historyEvents =
                timeline.stream().filter(e -> !(e.payload() instanceof Exec)).count();
        Path logs = dir.resolve("logs");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            broker.createTopic(TOPIC, 1);
            String[] kafka = {
                "--source",
                "kafka",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--topic",
                TOPIC,
                "--checkpoint-interval",
                "1s"
            };

            Path data = dir.resolve("killed");
            HistoryRows history = new HistoryRows(data);
            CountDownLatch killed = new CountDownLatch(1);
            CompletableFuture<Void> published;
            long committedBeforeTheKill;
            try (TapioRun first = TapioRun.start(data, logs, "first", with(kafka, "--group-id", "resumed"))) {
                first.awaitCompletedCheckpoint(RUN);
                // A thread of its own: the common pool is where Parquet's reads of the history wait.
                published = new CompletableFuture<>();
                Thread.ofPlatform().name("agent").start(() -> {
                    try {
                        publish(broker, timeline, killed);
                        published.complete(null);
                    } catch (Exception e) {
                        published.completeExceptionally(e);
                    }
                });
                first.await("events committed to the history", RUN, () -> history.count("events") > 0);
                first.kill();
                committedBeforeTheKill = history.count("events");
            } finally {
                killed.countDown();
            }
            assertTrue(committedBeforeTheKill < historyEvents, "killed midway");

            String resumed;
            try (TapioRun second = TapioRun.start(data, logs, "second", with(kafka, "--group-id", "resumed"))) {
                published.get(RUN.toSeconds(), TimeUnit.SECONDS);
                awaitWholeHistory(second, history, historyEvents);
                second.stop();
                resumed = second.output();
            }

            Path whole = dir.resolve("never-killed");
            HistoryRows expected = new HistoryRows(whole);
            try (TapioRun run = TapioRun.start(whole, logs, "never-killed", with(kafka, "--group-id", "whole"))) {
                awaitWholeHistory(run, expected, historyEvents);
                run.stop();
            }
            HistoryRows.assertSameRows(expected, history);
            assertTrue(
                    resumed.lines().anyMatch(TapioRun::saysItResumed), "one line says where it resumed:\n" + resumed);
            System.out.printf(
                    "killed after %d of %d events were committed; then the history held %s%n",
                    committedBeforeTheKill, historyEvents, history.counts());
        }
    }

    /**
     * The timeline as one node's agent publishes it: a batch every {@link #PUBLISH_EVERY}, each
     * with the events of the next stretch of the timeline, keyed by the node. The last quarter
     * waits for {@code killed}: however slow the machine, the job is killed while the agent
     * publishes, and what it publishes meanwhile waits in Kafka.
     */
    private static void publish(KafkaBroker broker, List<KernelEvent> timeline, CountDownLatch killed)
            throws Exception {
        long epochAtZero = Instant.parse("2026-11-02T08:00:00Z").toEpochMilli() * 1_000_000 - IncidentTimeline.START_NS;
        int batches = (int) (Duration.ofSeconds(40).toMillis() / PUBLISH_EVERY.toMillis());
        long stretch = IncidentTimeline.LENGTH.toNanos() / batches;
        AgentBatchWriter writer = new AgentBatchWriter(NODE, epochAtZero, 10_000, 1 << 20);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers(), "enable.idempotence", true, "acks", "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            int next = 0;
            for (int batch = 1; batch <= batches; batch++) {
                if (batch == batches * 3 / 4) {
                    killed.await();
                }
                long until = IncidentTimeline.START_NS + batch * stretch;
                while (next < timeline.size() && (timeline.get(next).timestampNs() < until || batch == batches)) {
                    KernelEvent event = timeline.get(next++);
                    if (!writer.add(event, workload(event))) {
                        throw new IllegalStateException("a stretch of the timeline is more than a batch holds");
                    }
                }
                if (writer.events() > 0) {
                    producer.send(new ProducerRecord<>(TOPIC, NODE.getBytes(StandardCharsets.UTF_8), writer.seal()))
                            .get();
                }
                Thread.sleep(PUBLISH_EVERY.toMillis());
            }
        }
    }

    /** How the node's agent names the workload of an event: its cgroup, on its node. */
    private static Workload workload(KernelEvent event) {
        return Workload.host(new Workload.Cgroup(NODE, event.cgroupId(), "/workload-" + event.cgroupId()));
    }

    /**
     * Waits until every published event is in the history and nothing more comes for a few
     * checkpoints: what the job reported by then is committed too.
     */
    private static void awaitWholeHistory(TapioRun run, HistoryRows history, long events) throws Exception {
        run.await("all " + events + " events in the history", RUN, () -> history.count("events") >= events);
        Map<String, Long> counts = history.counts();
        long deadline = System.nanoTime() + RUN.toNanos();
        for (int unchanged = 0; unchanged < 5; ) {
            assertTrue(System.nanoTime() < deadline, "the history kept changing: " + counts);
            Thread.sleep(1_000);
            Map<String, Long> now = history.counts();
            unchanged = now.equals(counts) ? unchanged + 1 : 0;
            counts = now;
        }
        assertEquals(events, history.count("events"), "no event twice");
    }

    private static String[] with(String[] options, String... more) {
        String[] all = new String[options.length + more.length];
        System.arraycopy(options, 0, all, 0, options.length);
        System.arraycopy(more, 0, all, options.length, more.length);
        return all;
    }
}
