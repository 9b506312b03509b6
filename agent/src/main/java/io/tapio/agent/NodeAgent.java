package io.tapio.agent;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.metrics.DropReason;
import io.tapio.ebpf.node.KernelClock;
import io.tapio.ebpf.ring.RingBufferReader;
import io.tapio.enrich.NodeWorkloadResolver;
import io.tapio.job.Relevance;
import io.tapio.kafka.AgentBatchWriter;
import io.tapio.model.Workload;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tapio agent}: reads this node's kernel, gives each event its workload here (cgroup ids
 * mean something only on their node), leaves out what the job would filter, and publishes the
 * rest to Kafka in batches keyed by the node. One thread reads and batches; the
 * {@link BatchPublisher} sends, behind a bounded buffer, so that a slow or absent Kafka never
 * holds up the ring buffer: the kernel's own drops stay what they would be without Kafka.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    private static final Duration POLL = Duration.ofMillis(5);
    private static final int RECORDS_PER_POLL = 4096;
    private static final long HEALTH_CHECK_NANOS = 1_000_000_000L;

    private final AgentConfig config;
    private final KernelCollector collector;
    private final NodeWorkloadResolver resolver;
    private final BatchPublisher publisher;
    private final AgentBatchWriter writer;
    private final AgentMetrics metrics;
    private final Thread reader;
    private final long lingerNanos;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile AgentStats closedStats;
    private boolean closed;
    private volatile long read;
    private volatile long filtered;
    // Counted per record on the reading thread, published to the volatile fields after each poll.
    private long readHere;
    private long filteredHere;

    private NodeAgent(
            AgentConfig config, KernelCollector collector, NodeWorkloadResolver resolver, BatchPublisher publisher) {
        this.config = config;
        this.collector = collector;
        this.resolver = resolver;
        this.publisher = publisher;
        this.lingerNanos = config.linger().toNanos();
        this.writer = new AgentBatchWriter(
                config.node(), KernelClock.local().epochNanos(0), config.batchEvents(), config.batchBytes());
        this.metrics = AgentMetrics.register(this);
        this.reader = Thread.ofPlatform().name("tapio-agent-reader").start(this::readKernel);
    }

    /**
     * Loads the BPF programs, starts attributing cgroups and the Kafka producer, and starts
     * reading. Kafka need not be reachable yet: batches wait for it, within the buffer.
     *
     * @throws io.tapio.ebpf.collector.MissingRequirementException when this machine cannot load the programs
     */
    public static NodeAgent start(AgentConfig config) {
        KernelCollector collector = KernelCollector.open(config.collector());
        NodeWorkloadResolver resolver = null;
        try {
            resolver = NodeWorkloadResolver.start(config.enrich());
            BatchPublisher publisher;
            try {
                publisher = new BatchPublisher(config);
            } catch (ConfigException e) {
                throw new IllegalArgumentException("a Kafka producer setting is wrong: " + e.getMessage(), e);
            }
            LOG.info(
                    "Agent on node {} publishes to topic {} at {} ({} compression, batches of up to {} events, {} ms "
                            + "linger, {} KiB buffer)",
                    config.node(),
                    config.topic(),
                    config.bootstrapServers(),
                    config.compression(),
                    config.batchEvents(),
                    config.linger().toMillis(),
                    config.bufferBytes() >> 10);
            return new NodeAgent(config, collector, resolver, publisher);
        } catch (RuntimeException | Error e) {
            if (resolver != null) {
                resolver.close();
            }
            collector.close();
            throw e;
        }
    }

    private void readKernel() {
        RingBufferReader ring = collector.reader();
        long lastHealthCheck = System.nanoTime();
        try {
            while (running) {
                ring.poll(this::onRecord, RECORDS_PER_POLL, POLL);
                long now = System.nanoTime();
                if (writer.events() > 0 && now - writer.firstEventNanos() >= lingerNanos) {
                    seal();
                }
                publishCounts();
                if (now - lastHealthCheck > HEALTH_CHECK_NANOS) {
                    publisher.checkHealth();
                    lastHealthCheck = now;
                }
            }
            while (ring.drain(this::onRecord, RECORDS_PER_POLL) > 0) {
                // what the kernel wrote before the agent stopped
            }
            if (writer.events() > 0) {
                seal();
            }
            publishCounts();
        } catch (Throwable t) {
            failure = t;
            LOG.error("The agent stopped reading the kernel", t);
        }
    }

    private void onRecord(MemorySegment ring, long offset, int length) {
        KernelEvent event = KernelEvent.copyOf(ring, offset, length);
        readHere++;
        if (!Relevance.relevant(event)) {
            filteredHere++;
            return;
        }
        Workload workload = resolver.resolve(event.cgroupId());
        if (!writer.add(event, workload)) {
            seal();
            writer.add(event, workload);
        }
    }

    private void seal() {
        int events = writer.events();
        publisher.offer(writer.seal(), events);
    }

    private void publishCounts() {
        read = readHere;
        filtered = filteredHere;
    }

    /** Whether the agent still reads the kernel; false after a failure (see {@link #failure()}) or close. */
    public boolean running() {
        return running && reader.isAlive();
    }

    /** What stopped the reading thread, or null. */
    public Throwable failure() {
        return failure;
    }

    /** What the agent has done so far; after {@link #close()}, what it did. */
    public AgentStats stats() {
        AgentStats done = closedStats;
        if (done != null) {
            return done;
        }
        Map<String, Long> dropped = new HashMap<>();
        dropped.put(DropReason.RING_FULL.label(), lostInRing());
        dropped.put(DropReason.MALFORMED.label(), malformed());
        publisher.dropped().forEach((drop, count) -> dropped.put(drop.label(), count));
        return new AgentStats(
                config.node(),
                read,
                filtered,
                publisher.ackedEvents(),
                dropped,
                publisher.heldBytes(),
                publisher.boundBytes(),
                publisher.silentFor(),
                publisher.lastError());
    }

    String node() {
        return config.node();
    }

    long read() {
        return read;
    }

    long filtered() {
        return filtered;
    }

    BatchPublisher publisher() {
        return publisher;
    }

    long lostInRing() {
        return collector.kernelStats().lost();
    }

    long malformed() {
        return collector.reader().stats().malformedTotal();
    }

    double ringFill() {
        return collector.reader().fillRatio();
    }

    /**
     * Stops reading, publishes the last batch, and waits up to the flush timeout for Kafka to
     * acknowledge what waits; then unloads the programs. {@link #stats()} stays readable.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            publisher.close(config.flushTimeout());
        } finally {
            metrics.close();
            closedStats = stats();
            resolver.close();
            collector.close();
        }
    }
}
