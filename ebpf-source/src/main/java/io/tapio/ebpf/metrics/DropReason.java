package io.tapio.ebpf.metrics;

import java.util.Locale;

/**
 * Why an event was lost before it reached the job: the {@code reason} of
 * {@code tapio_events_dropped_total{node,reason}}, DESIGN's contract with the alert rules.
 */
public enum DropReason {
    /** The kernel's ring buffer had no room (counted by the programs, {@code TAPIO_REASON_RING_FULL}). */
    RING_FULL,
    /** A record that was not a well-formed record of the ABI, skipped by the reader. */
    MALFORMED,
    /** A node agent's buffer for Kafka filled while Kafka was away. */
    AGENT_BUFFER_FULL,
    /** Kafka refused a node agent's batch for good (too large, not authorized). */
    KAFKA_REJECTED,
    /** A node agent stopped before Kafka acknowledged a batch. */
    UNSENT_AT_EXIT;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The tag's value: {@code ring_full}, ... */
    public String label() {
        return label;
    }
}
