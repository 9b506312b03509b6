package io.tapio.kafka;

import java.nio.charset.StandardCharsets;

/**
 * How a node agent frames its events in one Kafka record's value, shared by
 * {@link AgentBatchWriter} and {@link AgentBatchReader}. The record's key is the node's name,
 * so that one node's batches stay in one partition, in order.
 *
 * <pre>
 * magic      "TPAB"
 * version    u8 (1)
 * node       UTF: u16 length, modified UTF-8, as {@link java.io.DataOutput#writeUTF}
 * clock      i64: the node's wall clock (epoch ns) when its CLOCK_MONOTONIC read 0; a kernel
 *            timestamp plus this is the event's time
 * workloads  u16 count, then each: kind UTF (the {@link io.tapio.model.Workload.Kind} name),
 *            cgroup id i64, 13 UTF fields (node, cgroupPath, namespace, pod, podUid, container,
 *            containerId, runtime, image, qosClass, ownerKind, ownerName, unit),
 *            u16 label count, then each label's key and value as UTF
 * events     i32 count, then each: workload index u16, record length u16, the record exactly as
 *            the kernel wrote it (its own magic and ABI version inside)
 * </pre>
 *
 * Integers are big-endian. The value ends with the last event: trailing bytes make it
 * undecodable. Each workload is written once per batch, however many of its events the batch
 * holds: a node's events come from a few workloads at a time, and the job decodes each
 * identity once per batch. Compression is the producer's (the whole Kafka record batch).
 * A reader refuses any other version; a new version changes this number.
 */
final class AgentBatchFormat {
    static final byte[] MAGIC = "TPAB".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int MAX_WORKLOADS = 0xFFFF;

    private AgentBatchFormat() {}
}
