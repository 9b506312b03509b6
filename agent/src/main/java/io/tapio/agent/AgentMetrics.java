package io.tapio.agent;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.metrics.DropReason;
import io.tapio.ebpf.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A node agent's meters in Micrometer's global registry, removed on close. Drops use the
 * names the alert rules already watch ({@code tapio_events_dropped_total{node,reason}},
 * {@code tapio_ringbuf_used_ratio}); the rest are the agent's own:
 * {@code tapio_agent_events_read_total}, {@code tapio_agent_events_filtered_total},
 * {@code tapio_agent_events_published_total} (acknowledged by Kafka),
 * {@code tapio_agent_batches_published_total}, {@code tapio_agent_buffer_bytes},
 * {@code tapio_agent_buffer_used_ratio} and {@code tapio_agent_kafka_silent_seconds}.
 */
final class AgentMetrics implements AutoCloseable {
    private final List<Meter> meters = new ArrayList<>();

    private AgentMetrics(NodeAgent agent) {
        String node = agent.node();
        BatchPublisher publisher = agent.publisher();
        counter(MetricNames.AGENT_EVENTS_READ, node, agent, a -> a.read(), "Events the kernel delivered to the agent");
        counter(
                MetricNames.AGENT_EVENTS_FILTERED,
                node,
                agent,
                a -> a.filtered(),
                "Events the agent left out as irrelevant (clean exits)");
        counter(
                MetricNames.AGENT_EVENTS_PUBLISHED,
                node,
                agent,
                a -> a.publisher().ackedEvents(),
                "Events in batches Kafka acknowledged");
        counter(
                MetricNames.AGENT_BATCHES_PUBLISHED,
                node,
                agent,
                a -> a.publisher().ackedBatches(),
                "Batches Kafka acknowledged");
        dropped(node, DropReason.RING_FULL.label(), agent, a -> a.lostInRing());
        dropped(node, DropReason.MALFORMED.label(), agent, a -> a.malformed());
        for (DropReason drop : BatchPublisher.DROPS) {
            dropped(node, drop.label(), agent, a -> a.publisher().dropped().get(drop));
        }
        gauge(MetricNames.AGENT_BUFFER_BYTES, node, publisher, BatchPublisher::heldBytes, "Bytes waiting for Kafka");
        gauge(
                MetricNames.AGENT_BUFFER_USED_RATIO,
                node,
                publisher,
                p -> (double) p.heldBytes() / p.boundBytes(),
                "How full the agent's buffer for Kafka is, from 0 to 1");
        gauge(
                MetricNames.AGENT_KAFKA_SILENT_SECONDS,
                node,
                publisher,
                p -> p.silentFor().toMillis() / 1000.0,
                "How long Kafka has acknowledged nothing while batches wait");
        gauge(
                MetricNames.RINGBUF_USED_RATIO,
                node,
                agent,
                NodeAgent::ringFill,
                "How full the kernel's ring buffer is, 0 to 1");
    }

    static AgentMetrics register(NodeAgent agent) {
        return new AgentMetrics(agent);
    }

    private void counter(
            String name, String node, NodeAgent agent, ToDoubleFunction<NodeAgent> count, String description) {
        meters.add(FunctionCounter.builder(name, agent, count)
                .tag("node", node)
                .description(description)
                .register(Metrics.globalRegistry));
    }

    private void dropped(String node, String reason, NodeAgent agent, ToDoubleFunction<NodeAgent> count) {
        meters.add(FunctionCounter.builder(MetricNames.EVENTS_DROPPED, agent, count)
                .tags("node", node, "reason", reason)
                .description("Events lost before reaching the job")
                .register(Metrics.globalRegistry));
    }

    private <T> void gauge(String name, String node, T source, ToDoubleFunction<T> value, String description) {
        meters.add(Gauge.builder(name, source, value)
                .tag("node", node)
                .description(description)
                .register(Metrics.globalRegistry));
    }

    @Override
    public void close() {
        meters.forEach(Metrics.globalRegistry::remove);
    }
}
