package io.tapio.kafka;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.kafka.UndecodableBatchException.Problem;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Workload;
import io.tapio.model.WorkloadCodec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Decodes a node agent's batch (see {@link AgentBatchFormat}), all of it or nothing. */
public final class AgentBatchReader {
    private AgentBatchReader() {}

    /** @throws UndecodableBatchException with what is wrong, when {@code value} is not a whole, well-formed batch */
    public static AgentBatch read(byte[] value) throws UndecodableBatchException {
        if (value == null
                || value.length < AgentBatchFormat.MAGIC.length + 1
                || !Arrays.equals(
                        value,
                        0,
                        AgentBatchFormat.MAGIC.length,
                        AgentBatchFormat.MAGIC,
                        0,
                        AgentBatchFormat.MAGIC.length)) {
            throw new UndecodableBatchException(
                    Problem.NOT_A_BATCH,
                    "not a Tapio agent batch: "
                            + (value == null ? "no value" : value.length + " bytes without the magic 'TPAB'"));
        }
        int version = value[AgentBatchFormat.MAGIC.length] & 0xFF;
        if (version != AgentBatchFormat.VERSION) {
            throw new UndecodableBatchException(
                    Problem.UNSUPPORTED_VERSION,
                    "agent batch format version " + version + ", this job reads version " + AgentBatchFormat.VERSION);
        }
        ByteArrayInputStream bytes = new ByteArrayInputStream(value, AgentBatchFormat.MAGIC.length + 1, value.length);
        DataInputStream in = new DataInputStream(bytes);
        try {
            String node = in.readUTF();
            long epochNanosAtZero = in.readLong();
            int workloadCount = in.readUnsignedShort();
            // Sized by what the bytes can hold, not by the count alone: a few bytes claiming
            // 65535 workloads would otherwise cost the job a quarter of a megabyte each.
            if (workloadCount > bytes.available() / WorkloadCodec.MIN_BYTES) {
                throw new UndecodableBatchException(
                        Problem.WRONG_LENGTH,
                        "a count of " + workloadCount + " workloads in " + bytes.available() + " remaining bytes");
            }
            Workload[] workloads = new Workload[workloadCount];
            for (int i = 0; i < workloads.length; i++) {
                workloads[i] = WorkloadCodec.read(in);
            }
            int count = in.readInt();
            if (count < 0 || count > bytes.available() / 4) {
                throw new UndecodableBatchException(
                        Problem.WRONG_LENGTH,
                        "a count of " + count + " events in " + bytes.available() + " remaining bytes");
            }
            List<EnrichedEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int workload = in.readUnsignedShort();
                if (workload >= workloads.length) {
                    throw new UndecodableBatchException(
                            Problem.MALFORMED_CONTENT,
                            "event " + i + " refers to workload " + workload + " of " + workloads.length);
                }
                byte[] record = new byte[in.readUnsignedShort()];
                in.readFully(record);
                events.add(new EnrichedEvent(KernelEvent.of(record), workloads[workload]));
            }
            if (bytes.available() > 0) {
                throw new UndecodableBatchException(
                        Problem.WRONG_LENGTH, bytes.available() + " bytes after the last of " + count + " events");
            }
            return new AgentBatch(node, epochNanosAtZero, events);
        } catch (EOFException e) {
            throw new UndecodableBatchException(
                    Problem.WRONG_LENGTH, "the batch ends early, after " + value.length + " bytes");
        } catch (IOException | IllegalArgumentException e) {
            // MalformedRecordException (an event's record) and an unknown workload kind are both
            // IllegalArgumentExceptions.
            throw new UndecodableBatchException(Problem.MALFORMED_CONTENT, e.getMessage());
        }
    }
}
