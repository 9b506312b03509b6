package io.tapio.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.PathRule;
import io.tapio.enrich.EnrichConfig;
import io.tapio.testing.Commands;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An agent whose Kafka is not there (a closed port on loopback): it keeps reading the kernel,
 * says why nothing is acknowledged, holds no more than its buffer, and counts every event it
 * could not publish, so that what it read is accounted for to the event.
 */
class AgentWithoutKafkaTest {
    private static final int BUFFER = 16 * 1024;

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void itSaysKafkaIsUnreachableKeepsToItsBufferAndCountsWhatItDrops() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        String servers = "127.0.0.1:" + closedPort;
        String paths = "/tmp/tapio-agent-test-" + UUID.randomUUID() + "-";
        CollectorConfig onlyTheTests = CollectorConfig.builder()
                .enabledTypes(Set.of(EventType.OPEN_FAILED))
                .pathRules(List.of(PathRule.report(paths)))
                .reportUnmatchedOpens(false)
                .build();
        NodeAgent agent = NodeAgent.start(new AgentConfig(
                servers,
                "tapio.events",
                onlyTheTests,
                EnrichConfig.defaults().withNode("agent-without-kafka").withoutKubernetes(),
                100,
                4096,
                Duration.ofMillis(10),
                "lz4",
                BUFFER,
                Duration.ofSeconds(1),
                Map.of()));
        AgentStats start = agent.stats();
        AgentStats outage;
        try {
            Commands.check("/bin/sh", "-c", "for i in $(seq 1 300); do cat " + paths + "$i 2>/dev/null; done; true");
            outage = awaitSilence(agent, BatchPublisher.SILENCE_WORTH_A_WARNING);
            assertTrue(outage.bufferedBytes() <= BUFFER, "held " + outage.bufferedBytes() + " of " + BUFFER);
            assertTrue(outage.dropped().get("agent_buffer_full") > 0, "dropped past the buffer: " + outage);
            String line = outage.line(start, Duration.ofSeconds(5));
            assertTrue(line.contains("Kafka silent for "), line);
            assertTrue(line.contains("cannot reach Kafka at " + servers), line);
            assertTrue(line.contains("agent_buffer_full"), line);
        } finally {
            agent.close();
        }

        AgentStats done = agent.stats();
        assertEquals(300, done.read(), done.toString());
        assertEquals(0, done.published());
        assertEquals(0, done.bufferedBytes());
        assertEquals(
                done.read(),
                done.dropped().get("agent_buffer_full") + done.dropped().get("unsent_at_exit"),
                "every event read is published or counted as dropped: " + done);
    }

    private static AgentStats awaitSilence(NodeAgent agent, Duration silence) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        AgentStats stats = agent.stats();
        while (stats.kafkaSilentFor().compareTo(silence) < 0
                || stats.kafkaError().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the agent never noticed that Kafka is away: " + stats);
            }
            Thread.sleep(100);
            stats = agent.stats();
        }
        return stats;
    }
}
