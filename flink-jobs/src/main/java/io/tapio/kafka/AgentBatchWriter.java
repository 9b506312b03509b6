package io.tapio.kafka;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.Workload;
import io.tapio.model.WorkloadCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Collects one node's enriched events into a batch (see {@link AgentBatchFormat}) until it is
 * full, then hands out its bytes and starts the next. One thread uses it.
 */
public final class AgentBatchWriter {
    private final byte[] header;
    private final int maxEvents;
    private final int maxBytes;
    private final Map<Workload, Integer> workloadIndex = new HashMap<>();
    private final ByteArrayOutputStream workloadBytes = new ByteArrayOutputStream(4096);
    private final DataOutputStream workloads = new DataOutputStream(workloadBytes);
    private final ByteArrayOutputStream eventBytes = new ByteArrayOutputStream(64 * 1024);
    private final DataOutputStream events = new DataOutputStream(eventBytes);
    private int count;
    private long firstEventNanos;

    /**
     * @param node the node's name, the batches' key
     * @param epochNanosAtZero the node's wall clock (epoch ns) when its CLOCK_MONOTONIC read 0
     * @param maxEvents events in a batch at most
     * @param maxBytes a batch's size at most, unless one event alone is larger
     */
    public AgentBatchWriter(String node, long epochNanosAtZero, int maxEvents, int maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a batch holds at least one event and one byte, not " + maxEvents
                    + " events and " + maxBytes + " bytes");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(AgentBatchFormat.MAGIC);
            out.writeByte(AgentBatchFormat.VERSION);
            out.writeUTF(node);
            out.writeLong(epochNanosAtZero);
        } catch (IOException e) {
            throw new IllegalArgumentException("the node name cannot be written: " + node, e);
        }
        this.header = bytes.toByteArray();
    }

    /**
     * Adds an event and its workload, unless the batch is full: then nothing is added, and the
     * caller seals this batch and adds the event to the next.
     *
     * @return whether the event was added
     */
    public boolean add(KernelEvent event, Workload workload) {
        Integer index = workloadIndex.get(workload);
        if (count > 0
                && (count >= maxEvents
                        || bytes() + event.size() + 4 > maxBytes
                        || (index == null && workloadIndex.size() >= AgentBatchFormat.MAX_WORKLOADS))) {
            return false;
        }
        try {
            if (index == null) {
                index = workloadIndex.size();
                workloadIndex.put(workload, index);
                WorkloadCodec.write(workload, workloads);
            }
            events.writeShort(index);
            events.writeShort(event.size());
            event.writeTo(events);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams: only a string too long for UTF
        }
        if (count++ == 0) {
            firstEventNanos = System.nanoTime();
        }
        return true;
    }

    /** Events in the batch so far. */
    public int events() {
        return count;
    }

    /** The batch's size so far, in bytes. */
    public int bytes() {
        return header.length + 2 + workloadBytes.size() + 4 + eventBytes.size();
    }

    /** {@link System#nanoTime()} when the batch's first event was added. */
    public long firstEventNanos() {
        return firstEventNanos;
    }

    /** The batch's bytes, for a Kafka record's value; the writer starts the next batch, empty. */
    public byte[] seal() {
        ByteArrayOutputStream batch = new ByteArrayOutputStream(bytes());
        try (DataOutputStream out = new DataOutputStream(batch)) {
            out.write(header);
            out.writeShort(workloadIndex.size());
            workloadBytes.writeTo(out);
            out.writeInt(count);
            eventBytes.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        workloadIndex.clear();
        workloadBytes.reset();
        eventBytes.reset();
        count = 0;
        return batch.toByteArray();
    }
}
