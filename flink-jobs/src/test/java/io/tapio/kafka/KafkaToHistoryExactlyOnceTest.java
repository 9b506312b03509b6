package io.tapio.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.node.KernelClock;
import io.tapio.history.HistoryConfig;
import io.tapio.history.HistorySinks;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import io.tapio.model.types.EnrichedEventSerializer;
import io.tapio.schemas.HistoryTables;
import io.tapio.testing.FailOnceAfterACheckpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka path into the Iceberg history across a task failure: two nodes' batches in a real
 * broker, read by the job's KafkaSource, written by the history's events sink; a task throws
 * once a checkpoint has committed, the job restarts from that checkpoint (Kafka offsets and
 * sink state together), and the table holds every event exactly once, with its node.
 */
class KafkaToHistoryExactlyOnceTest {
    private static final String INJECTION = "kafka-exactly-once";
    private static final String TOPIC = "tapio.events";
    private static final int BATCHES_PER_NODE = 20;
    private static final int EVENTS_PER_BATCH = 500;
    private static final int EVENTS = 2 * BATCHES_PER_NODE * EVENTS_PER_BATCH;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aTaskThatFailsMidStreamLeavesEveryEventFromKafkaInTheTableOnce() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            broker.createTopic(TOPIC, 2);
            Map<String, String> published = publish(broker);
            HistoryConfig history = HistoryConfig.hadoop(dir.resolve("data"));

            JobClient job = job(broker, history);
            Table table = awaitRows(history, job);
            Thread.sleep(1_000); // checkpoints after the last row: a duplicate would be committed by now
            job.cancel().get(30, TimeUnit.SECONDS);

            assertTrue(FailOnceAfterACheckpoint.failed(INJECTION), "the task failed once mid-stream");
            table.refresh();
            Map<String, String> rows = new HashMap<>();
            List<String> duplicates = new ArrayList<>();
            try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
                for (Record r : read) {
                    String id = identity((Long) r.getField("kernel_ts_ns"), (Integer) r.getField("pid"));
                    if (rows.put(id, (String) r.getField("node")) != null) {
                        duplicates.add(id);
                    }
                }
            }
            assertEquals(List.of(), duplicates, "no event twice");
            assertEquals(published, rows, "every event published, with the node whose agent enriched it");
        }
    }

    /** Two nodes' batches, as their agents would publish them; returns each event's identity and node. */
    private static Map<String, String> publish(KafkaBroker broker) throws Exception {
        Map<String, String> published = new HashMap<>();
        long epochAtZero = KernelClock.local().epochNanos(0);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers(), "enable.idempotence", true, "acks", "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String node : List.of("node-a", "node-b")) {
                Workload workload = TestEvents.pod(node, 40, node + "-pod");
                AgentBatchWriter writer = new AgentBatchWriter(node, epochAtZero, EVENTS_PER_BATCH, 512 * 1024);
                int pid = node.equals("node-a") ? 10_000 : 20_000;
                for (int b = 0; b < BATCHES_PER_NODE; b++) {
                    for (int i = 0; i < EVENTS_PER_BATCH; i++) {
                        KernelEvent event = TestEvents.failedOpen(
                                start + published.size() * 1_000L, pid++, 40, "/etc/missing-" + i);
                        writer.add(event, workload);
                        published.put(identity(event.timestampNs(), event.pid()), node);
                    }
                    producer.send(new ProducerRecord<>(TOPIC, node.getBytes(StandardCharsets.UTF_8), writer.seal()));
                }
            }
            producer.flush();
        }
        assertEquals(EVENTS, published.size());
        return published;
    }

    /** The job's Kafka path through a task that fails once into the events table, checkpointing every 200 ms. */
    private static JobClient job(KafkaBroker broker, HistoryConfig history) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.getConfig().enableObjectReuse();
        var events = AgentEvents.read(
                        env,
                        new AgentTopic(broker.bootstrapServers(), TOPIC, TOPIC + ".dlq", "history-test", Map.of()),
                        null)
                .map(
                        new FailOnceAfterACheckpoint<EnrichedEvent>(INJECTION, EVENTS / 3, 25),
                        EnrichedEventSerializer.TYPE)
                .disableChaining();
        HistorySinks.events(events, history);
        return env.executeAsync("kafka to the history");
    }

    private static Table awaitRows(HistoryConfig history, JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Table table = null;
        long rows = 0;
        while (System.nanoTime() < deadline) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                job.getJobExecutionResult().get(); // throws the job's failure
            }
            var catalog = history.catalogLoader().loadCatalog();
            if (catalog.tableExists(HistoryTables.identifier("events"))) {
                table = catalog.loadTable(HistoryTables.identifier("events"));
                rows = count(table);
                if (rows >= EVENTS) {
                    return table;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the table has " + rows + " of " + EVENTS + " rows after 2 minutes");
    }

    private static long count(Table table) throws Exception {
        long n = 0;
        try (CloseableIterable<Record> read =
                IcebergGenerics.read(table).select("pid").build()) {
            for (Record ignored : read) {
                n++;
            }
        }
        return n;
    }

    private static String identity(long timestampNs, int pid) {
        return timestampNs + "/" + pid;
    }
}
