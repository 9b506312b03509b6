package io.tapio.agent;

import io.tapio.ebpf.metrics.DropReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a node's sealed batches to Kafka through an idempotent producer (acks=all, retried
 * until the broker takes them), with a bounded buffer in front of it: {@link #offer} never
 * blocks the thread that reads the kernel. What waits for Kafka, queued here or unacknowledged
 * in the producer, is counted in bytes; a batch that would go past the bound is dropped and
 * counted, and the older ones keep their place. When Kafka is back, the producer delivers what
 * waited, in order, each batch once.
 */
final class BatchPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPublisher.class);
    /** Kafka silent this long with batches waiting: the agent says so. */
    static final Duration SILENCE_WORTH_A_WARNING = Duration.ofSeconds(5);
    /** How long one send waits for the topic's metadata before the agent notes why and tries again. */
    private static final int METADATA_WAIT_MILLIS = 2_000;

    /** Why a batch was not published: the {@code reason} of {@code tapio_events_dropped_total}. */
    static final Set<DropReason> DROPS =
            EnumSet.of(DropReason.AGENT_BUFFER_FULL, DropReason.KAFKA_REJECTED, DropReason.UNSENT_AT_EXIT);

    private record Batch(byte[] value, int events) {}

    private final String servers;
    private final String topic;
    private final byte[] key;
    private final long bound;
    private final KafkaProducer<byte[], byte[]> producer;
    private final LinkedBlockingQueue<Batch> queue = new LinkedBlockingQueue<>();
    private final AtomicLong held = new AtomicLong();
    private final LongAdder ackedEvents = new LongAdder();
    private final LongAdder ackedBatches = new LongAdder();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final Thread sender;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile String lastError = "";
    private volatile boolean closing;
    private Exception metadataMissing; // the sender thread's only
    private boolean warned;

    BatchPublisher(AgentConfig config) {
        this.servers = config.bootstrapServers();
        this.topic = config.topic();
        this.key = config.node().getBytes(StandardCharsets.UTF_8);
        this.bound = config.bufferBytes();
        for (DropReason drop : DROPS) {
            dropped.put(drop, new LongAdder());
        }
        this.producer =
                new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
        this.sender = Thread.ofPlatform().name("tapio-agent-sender").daemon().start(this::sendAll);
    }

    private static Properties producerProperties(AgentConfig config) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tapio-agent-" + config.node());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        // The agent's batches are already batches; a few ms let consecutive ones share a request.
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Math.max(64 * 1024, config.batchBytes()));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, config.batchBytes() + 64 * 1024));
        // The bound is the agent's, in front of the producer: the producer's own never blocks first.
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.bufferBytes() + (32L << 20));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, METADATA_WAIT_MILLIS);
        // Retry until the broker is back, however long: the bound decides what is given up, not a timer.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        p.putAll(config.kafkaProperties());
        return p;
    }

    /** Hands a batch to Kafka, unless the buffer is full: then it is dropped and counted. Never blocks. */
    void offer(byte[] value, int events) {
        if (closing) {
            throw new IllegalStateException("the publisher is closed");
        }
        long before = held.getAndAdd(value.length);
        if (before + value.length > bound) {
            held.addAndGet(-value.length);
            dropped.get(DropReason.AGENT_BUFFER_FULL).add(events);
            return;
        }
        if (before == 0) {
            lastProgressNanos = System.nanoTime(); // silence is counted from when something waits
        }
        queue.add(new Batch(value, events));
    }

    private void sendAll() {
        try {
            while (!closing || !queue.isEmpty()) {
                Batch batch = queue.poll(50, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    send(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives the batch to the producer, waiting for the topic's metadata as long as the agent runs. */
    private void send(Batch batch) {
        while (true) {
            metadataMissing = null;
            try {
                producer.send(new ProducerRecord<>(topic, key, batch.value()), (metadata, e) -> {
                    // The producer reports a metadata wait that timed out through the callback, on the
                    // calling thread: that batch was never sent, and is tried again.
                    if (e instanceof TimeoutException && Thread.currentThread() == sender) {
                        metadataMissing = e;
                    } else {
                        done(batch, e);
                    }
                });
            } catch (KafkaException e) {
                lastError = "Kafka refused a batch: " + e.getMessage();
                giveUp(batch, DropReason.KAFKA_REJECTED);
                return;
            }
            if (metadataMissing == null) {
                return;
            }
            lastError = "cannot reach Kafka at " + servers + ", or it has no topic " + topic + " ("
                    + metadataMissing.getMessage() + ")";
            if (closing) { // Kafka is away and the agent stops: nothing queued can go now
                giveUp(batch, DropReason.UNSENT_AT_EXIT);
                giveUpQueued();
                return;
            }
        }
    }

    /** The producer's answer for a batch: acknowledged, or given up for good. */
    private void done(Batch batch, Exception e) {
        held.addAndGet(-batch.value().length);
        if (e == null) {
            ackedEvents.add(batch.events());
            ackedBatches.increment();
            lastProgressNanos = System.nanoTime();
        } else {
            lastError = "Kafka did not take a batch: " + e.getMessage();
            dropped.get(closing ? DropReason.UNSENT_AT_EXIT : DropReason.KAFKA_REJECTED)
                    .add(batch.events());
        }
    }

    private void giveUpQueued() {
        List<Batch> unsent = new ArrayList<>();
        queue.drainTo(unsent);
        unsent.forEach(batch -> giveUp(batch, DropReason.UNSENT_AT_EXIT));
    }

    private void giveUp(Batch batch, DropReason why) {
        held.addAndGet(-batch.value().length);
        dropped.get(why).add(batch.events());
    }

    /** Events in batches Kafka acknowledged. */
    long ackedEvents() {
        return ackedEvents.sum();
    }

    long ackedBatches() {
        return ackedBatches.sum();
    }

    Map<DropReason, Long> dropped() {
        Map<DropReason, Long> counts = new EnumMap<>(DropReason.class);
        dropped.forEach((drop, count) -> counts.put(drop, count.sum()));
        return counts;
    }

    /** Bytes waiting for Kafka: queued here or unacknowledged. */
    long heldBytes() {
        return held.get();
    }

    long boundBytes() {
        return bound;
    }

    /** How long Kafka has acknowledged nothing while batches wait; zero when nothing waits. */
    Duration silentFor() {
        return held.get() == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lastProgressNanos);
    }

    /** Why Kafka last failed the agent, or "" if it never did. */
    String lastError() {
        return lastError;
    }

    /** Logs once when Kafka goes silent and once when it is back; call it now and then from one thread. */
    void checkHealth() {
        Duration silent = silentFor();
        if (!warned && silent.compareTo(SILENCE_WORTH_A_WARNING) >= 0) {
            warned = true;
            LOG.warn(
                    "Kafka at {} has acknowledged nothing for {} s{}: keeping up to {} MiB of batches, then "
                            + "dropping new ones (counted); retrying",
                    servers,
                    silent.toSeconds(),
                    lastError.isEmpty() ? "" : " (" + lastError + ")",
                    bound >> 20);
        } else if (warned && silent.isZero()) {
            warned = false;
            LOG.info(
                    "Kafka at {} acknowledges again; {} events dropped so far",
                    servers,
                    dropped().values().stream().mapToLong(Long::longValue).sum());
        }
    }

    /**
     * Sends what is queued and waits up to {@code timeout} for Kafka to acknowledge it all;
     * what is left then is counted as unsent.
     */
    void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        closing = true;
        try {
            // A sender waiting for metadata gives up within METADATA_WAIT_MILLIS, and the queue with it.
            sender.join(timeout.plusMillis(METADATA_WAIT_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        giveUpQueued(); // what the sender could not hand over in time
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
}
