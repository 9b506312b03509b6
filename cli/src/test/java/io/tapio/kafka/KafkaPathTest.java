package io.tapio.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tapio.agent.AgentConfig;
import io.tapio.agent.AgentStats;
import io.tapio.agent.NodeAgent;
import io.tapio.cli.Tapio;
import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.PathRule;
import io.tapio.ebpf.node.KernelClock;
import io.tapio.enrich.EnrichConfig;
import io.tapio.job.SourceSpec;
import io.tapio.job.TapioJob;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.Workload;
import io.tapio.rollup.RegressionConfig;
import io.tapio.testing.Commands;
import io.tapio.testing.WorkloadCgroup;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Node agents to Kafka to the streaming job, all real: a KRaft broker in this JVM on
 * localhost, the BPF programs in this kernel watching processes the tests start, and the job
 * in a Flink MiniCluster reading the topic with the KafkaSource, as {@code tapio run --source
 * kafka} does. One broker and one job serve every test; each test's agent has a node name of
 * its own, which is how the test finds its events among the machine's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaPathTest {
    private static final String TOPIC = "tapio.events";
    private static final String DEAD_LETTERS = "tapio.events.dlq";
    private static final String NODE_PREFIX = "kafka-test-";
    /** Every test's processes fail to open files below this: its events, among all the machine's. */
    private static final String PATH_PREFIX = "/tmp/tapio-kafka-test-";

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path brokerDir;

    private static PrometheusMeterRegistry prometheus;
    private static KafkaBroker broker;
    private static JobClient job;
    private static Collected<EnrichedEvent> events;
    private static Collected<Finding> findings;

    @BeforeAll
    static void startBrokerAndJob() throws Exception {
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(prometheus);
        broker = KafkaBroker.start(brokerDir);
        broker.createTopic(TOPIC, 2);
        // The dead-letter topic is not created here: the job creates it when it starts (the
        // broker creates no topic by itself), or a poison record would fail the job.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
        env.enableCheckpointing(2_000); // as tapio run: offsets committed and dead letters flushed on checkpoints
        TapioJob.Outputs outputs = TapioJob.define(
                env,
                new SourceSpec.Kafka(broker.bootstrapServers(), TOPIC, DEAD_LETTERS, "tapio-test", Map.of()),
                CorrelationConfig.defaults(),
                RegressionConfig.defaults(),
                null);
        // Only the tests' own: the agents publish whatever else runs on this machine too.
        CloseableIterator<EnrichedEvent> collectedEvents = outputs.events()
                .filter(e -> e.workload().node().startsWith(NODE_PREFIX)
                        && e.event().payload() instanceof OpenFailed o
                        && o.path().startsWith(PATH_PREFIX))
                .collectAsync();
        CloseableIterator<Finding> collectedFindings = outputs.findings()
                .filter(f -> f.workload().node().startsWith(NODE_PREFIX))
                .collectAsync();
        job = env.executeAsync("tapio over kafka");
        events = new Collected<>("events", collectedEvents);
        findings = new Collected<>("findings", collectedFindings);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (job != null) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            if (events != null) {
                events.close();
                findings.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
            Metrics.removeRegistry(prometheus);
        }
    }

    @Test
    void aFailingProcessInAPodIsSeenByItsNodesAgentAndTheJobFindsItsCrashLoopAndItsMissingFile() throws Exception {
        String node = NODE_PREFIX + "cli";
        String podUid = UUID.randomUUID().toString();
        String containerId = HexFormat.of().formatHex(randomBytes(32));
        String missing = PATH_PREFIX + podUid + "/config/app.yaml";
        int metricsPort = freePort();
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> agent = new CompletableFuture<>();
        Thread.ofPlatform().name("tapio-agent").start(() -> {
            CommandLine cli = new CommandLine(new Tapio());
            cli.setOut(new PrintWriter(out, true));
            agent.complete(cli.execute(
                    "agent",
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--node",
                    node,
                    "--kubernetes",
                    "off",
                    "--duration",
                    "15s",
                    "--status-every",
                    "2s",
                    "--metrics-port",
                    "" + metricsPort));
        });
        awaitOutput(out, "publishing to " + TOPIC);

        try (WorkloadCgroup pod = WorkloadCgroup.create("tapio-test-" + UUID.randomUUID() + "/kubepods.slice/"
                + "kubepods-burstable.slice/kubepods-burstable-pod" + podUid.replace('-', '_') + ".slice/"
                + "cri-containerd-" + containerId + ".scope")) {
            // The container's program, restarted by its runtime, failing on a configuration never mounted.
            for (int i = 0; i < 4; i++) {
                Commands.run(pod.wrap("/bin/cat " + missing));
                Thread.sleep(600);
            }

            // The pod lives on until its events are in (its cgroup is named while it exists).
            EnrichedEvent open = events.await(
                    "the failed open from the pod",
                    e -> e.workload().node().equals(node)
                            && e.event().payload() instanceof OpenFailed o
                            && o.path().equals(missing),
                    WAIT);
            Workload workload = open.workload();
            assertEquals(
                    Workload.Kind.POD_UNRESOLVED, workload.kind(), "named on its node from its cgroup path: " + open);
            assertEquals(podUid, workload.pod().uid());
            assertEquals(containerId, workload.container().id());
            assertEquals("containerd", workload.container().runtime());
            Finding finding = findings.await(
                    "a crash loop of the pod, caused by the missing file",
                    f -> f.pattern().equals("crash_loop")
                            && f.workload().pod().uid().equals(podUid)
                            && f.cause() != null
                            && f.cause().subject().equals(missing),
                    WAIT);
            assertEquals(node, finding.workload().node());
            assertEquals("missing_file", finding.cause().pattern());
            assertTrue(finding.count() >= 3, finding.toString());
        }

        String scrape = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertTrue(counter(scrape, "tapio_agent_events_published_total{node=\"" + node + "\"}") >= 6, scrape);
        String bufferFull = "tapio_events_dropped_total{node=\"" + node + "\",reason=\"agent_buffer_full\"}";
        assertTrue(scrape.contains(bufferFull + " "), "the drop is exported before it happens: " + scrape);
        assertEquals(0, counter(scrape, bufferFull), "a reachable broker leaves nothing to drop: " + scrape);

        assertEquals(0, agent.get(60, TimeUnit.SECONDS), out.toString());
        assertTrue(out.toString().contains(node + ": "), "status lines:\n" + out);
        assertTrue(out.toString().contains("| Kafka ok"), out.toString());
        assertTrue(out.toString().contains("tapio agent stopped: "), out.toString());
    }

    @Test
    void aBrokerRestartLosesNothingTheAgentWasAcknowledgedForAndDeliversWhatWaited() throws Exception {
        String node = NODE_PREFIX + "restart";
        String run = UUID.randomUUID().toString();
        String paths = PATH_PREFIX + run + "-";
        // Only the test's own failed opens, filtered in the kernel: other work on this machine can
        // be a flood that no buffer would hold, and the counts below are to be exact.
        CollectorConfig onlyTheTests = CollectorConfig.builder()
                .enabledTypes(Set.of(EventType.OPEN_FAILED))
                .pathRules(List.of(PathRule.report(paths)))
                .reportUnmatchedOpens(false)
                .build();
        NodeAgent agent = NodeAgent.start(new AgentConfig(
                broker.bootstrapServers(),
                TOPIC,
                onlyTheTests,
                EnrichConfig.defaults().withNode(node).withoutKubernetes(),
                2000,
                512 * 1024,
                Duration.ofMillis(20),
                "zstd",
                64L << 20,
                Duration.ofSeconds(20),
                Map.of()));
        AgentStats duringOutage;
        try {
            failedOpens(paths + "before-", 100);
            broker.stopBroker();
            try {
                failedOpens(paths + "during-", 100);
                Thread.sleep(1_000);
                duringOutage = agent.stats();
            } finally {
                broker.startBroker();
            }
            failedOpens(paths + "after-", 100);
        } finally {
            agent.close();
        }
        AgentStats done = agent.stats();

        assertTrue(duringOutage.bufferedBytes() > 0, "batches waited for the broker: " + duringOutage);
        assertEquals(300, done.read(), "the kernel delivered every failed open: " + done);
        assertEquals(0, done.droppedTotal(), "the buffer held the outage: " + done);
        assertEquals(300, done.published(), "Kafka acknowledged every event: " + done);
        Predicate<EnrichedEvent> fromAgent = e -> e.workload().node().equals(node);
        events.awaitCount(fromAgent, done.published(), WAIT);
        Thread.sleep(2_000); // a duplicate would follow its original within the partition
        List<EnrichedEvent> arrived = events.matching(fromAgent);
        assertEquals(done.published(), arrived.size(), "what arrived is what Kafka acknowledged");
        assertEquals(
                arrived.size(),
                new HashSet<>(arrived.stream().map(EnrichedEvent::event).toList()).size(),
                "each once");
        for (String phase : List.of("before", "during", "after")) {
            String prefix = paths + phase + "-";
            assertEquals(
                    100,
                    arrived.stream()
                            .filter(e -> e.event().payload() instanceof OpenFailed o
                                    && o.path().startsWith(prefix))
                            .count(),
                    "failed opens " + phase + " the outage");
        }
    }

    @Test
    void recordsThatAreNotBatchesGoToTheDeadLetterTopicWithTheirReasonAndTheBatchesAfterThemStillFlow()
            throws Exception {
        String node = NODE_PREFIX + "poison";
        long epochAtZero = KernelClock.local().epochNanos(0);
        Workload workload = TestEvents.pod(node, 77, UUID.randomUUID().toString());
        List<KernelEvent> good = new ArrayList<>();
        AgentBatchWriter writer = new AgentBatchWriter(node, epochAtZero, 100, 64 * 1024);
        List<byte[]> values = new ArrayList<>();
        for (int batch = 0; batch < 2; batch++) {
            for (int i = 0; i < 3; i++) {
                KernelEvent event = TestEvents.failedOpen(
                        System.nanoTime(), 500 + good.size(), 77, PATH_PREFIX + "poison-" + good.size());
                writer.add(event, workload);
                good.add(event);
            }
            values.add(writer.seal());
        }
        byte[] wrongVersion = values.get(0).clone();
        wrongVersion[4] = 9;
        byte[] badRecord = values.get(0).clone();
        badRecord[badRecord.length - good.get(2).size()] ^= 0x5A;
        List<byte[]> poison = List.of(
                "not a batch".getBytes(StandardCharsets.UTF_8),
                wrongVersion,
                java.util.Arrays.copyOf(values.get(0), values.get(0).length / 2),
                badRecord);
        List<String> problems = List.of("not_a_batch", "unsupported_version", "wrong_length", "malformed_content");

        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            byte[] key = node.getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(TOPIC, key, values.get(0))).get();
            for (byte[] value : poison) {
                sent.add(producer.send(new ProducerRecord<>(TOPIC, key, value)).get());
            }
            producer.send(new ProducerRecord<>(TOPIC, key, values.get(1))).get();
        }

        List<EnrichedEvent> arrived = events.awaitCount(e -> e.workload().node().equals(node), good.size(), WAIT);
        assertEquals(
                good, arrived.stream().map(EnrichedEvent::event).toList(), "the batch after the poison flowed too");

        List<ConsumerRecord<byte[], byte[]>> letters = readDeadLetters(poison.size());
        assertEquals(poison.size(), letters.size());
        for (int i = 0; i < poison.size(); i++) {
            ConsumerRecord<byte[], byte[]> letter = letters.get(i);
            assertEquals(node, new String(letter.key(), StandardCharsets.UTF_8));
            assertTrue(java.util.Arrays.equals(poison.get(i), letter.value()), "the original value, untouched");
            assertEquals(problems.get(i), header(letter, DeadLetterRecords.PROBLEM));
            assertEquals(
                    TOPIC + "-" + sent.get(i).partition() + "@" + sent.get(i).offset(),
                    header(letter, DeadLetterRecords.SOURCE));
            assertTrue(!header(letter, DeadLetterRecords.REASON).isBlank());
        }
        assertTrue(header(letters.get(1), DeadLetterRecords.REASON).contains("version 9"));
        String scrape = prometheus.scrape();
        for (String problem : problems) {
            assertEquals(1, counter(scrape, "tapio_kafka_dead_letters_total{problem=\"" + problem + "\"}"), scrape);
        }
    }

    /** Starts {@code count} processes that each fail to open a file of their own, {@code prefix1} and on. */
    private static void failedOpens(String prefix, int count) {
        Commands.check(
                "/bin/sh",
                "-c",
                "for i in $(seq 1 " + count + "); do cat " + prefix + "$i 2>/dev/null; done; " + "true");
    }

    private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int count) {
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer()) {
            consumer.assign(List.of(new TopicPartition(DEAD_LETTERS, 0)));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (letters.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(letters::add);
            }
        }
        return letters;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A sample's value in Prometheus' text format; 0 when absent. */
    private static double counter(String scrape, String sample) {
        return scrape.lines()
                .filter(line -> line.startsWith(sample + " "))
                .findFirst()
                .map(line ->
                        Double.parseDouble(line.substring(sample.length() + 1).trim()))
                .orElse(0.0);
    }

    private static void awaitOutput(StringWriter out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!out.toString().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the agent never said '" + text + "'; it said:\n" + out);
            }
            Thread.sleep(50);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
