package io.tapio.agent;

import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.enrich.EnrichConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a node agent reads its node and publishes to Kafka.
 *
 * @param bootstrapServers Kafka's bootstrap servers, {@code host:port[,host:port...]}
 * @param topic where the batches go, keyed by node
 * @param collector the kernel side: ring buffer, filters
 * @param enrich how events are attributed to workloads on this node; its node names the batches
 * @param batchEvents events in a batch at most
 * @param batchBytes a batch's size at most, before compression
 * @param linger how long a batch's first event waits for others at most
 * @param compression the producer's compression: zstd, lz4, snappy, gzip or none
 * @param bufferBytes how much may wait for Kafka (queued or unacknowledged) before new batches are dropped
 * @param flushTimeout how long closing waits for Kafka to acknowledge what is left
 * @param kafkaProperties further producer settings (security, timeouts); they win over the agent's
 */
public record AgentConfig(
        String bootstrapServers,
        String topic,
        CollectorConfig collector,
        EnrichConfig enrich,
        int batchEvents,
        int batchBytes,
        Duration linger,
        String compression,
        long bufferBytes,
        Duration flushTimeout,
        Map<String, String> kafkaProperties) {
    /** Kafka's default largest request is 1 MiB; a batch, with the record's overhead, stays below it. */
    public static final int MAX_BATCH_BYTES = 1000 * 1024;
    /** What Kafka's producers can compress with. */
    public static final List<String> COMPRESSIONS = List.of("zstd", "lz4", "snappy", "gzip", "none");

    public AgentConfig {
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(enrich, "enrich");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka's bootstrap servers are needed: --bootstrap-servers HOST:PORT");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("the topic is empty");
        }
        if (!COMPRESSIONS.contains(compression)) {
            throw new IllegalArgumentException("unknown compression '" + compression + "': use one of " + COMPRESSIONS);
        }
        if (batchEvents < 1) {
            throw new IllegalArgumentException("a batch holds at least one event, not " + batchEvents);
        }
        if (batchBytes < 1024 || batchBytes > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException(
                    "a batch's size is from 1 KiB to " + MAX_BATCH_BYTES / 1024 + " KiB, not " + batchBytes + " bytes");
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("the linger must not be negative: " + linger);
        }
        if (bufferBytes < batchBytes) {
            throw new IllegalArgumentException(
                    "the buffer (" + bufferBytes + " bytes) must hold at least one batch (" + batchBytes + " bytes)");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** The node the agent runs on, as its batches and events name it. */
    public String node() {
        return enrich.node();
    }
}
