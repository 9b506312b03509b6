package io.tapio.ebpf.abi;

import java.util.Objects;

/**
 * The values of a record's common header that describe the event rather than the record:
 * the task the event is about (for an OOM kill the victim, for a signal its target), and
 * when and on which CPU it happened.
 *
 * @param timestampNs CLOCK_MONOTONIC, as {@code bpf_ktime_get_ns()} and {@link System#nanoTime()}
 * @param comm the task's name; the record keeps at most {@code COMM_LEN - 1} bytes of it
 */
public record EventSubject(long timestampNs, int cpu, int pid, int tid, long cgroupId, String comm) {
    public EventSubject {
        Objects.requireNonNull(comm, "comm");
        if (cpu < 0 || cpu > 0xFFFF) {
            throw new IllegalArgumentException("cpu must fit the header's 16 bits, not " + cpu);
        }
    }
}
