package io.tapio.ebpf.metrics;

/**
 * The points of an event's path where the job measures how long after the kernel recorded it
 * the event got there: the {@code stage} of {@code tapio_event_processing_duration_seconds}.
 * Each is measured from the kernel's timestamp, so a stage's own share of the latency is the
 * difference from the stage before it; in DESIGN's data flow order.
 */
public enum Stage {
    /** The source's reader took the record from the ring: the wait in the ring, wakeup included. */
    RING("ring", "ring wait"),
    /** The record is an event entering the job's operators: decoded and counted. */
    SOURCE("source", "decode"),
    /** The job's filter and the workload's name behind it; measured only before a keyed exchange. */
    ENRICHED("enriched", "filter, enrich"),
    /**
     * The event reached the correlator: filtered, enriched and, where there is one, through the
     * keyed exchange (then the share of the exchange is the difference from {@link #ENRICHED}).
     */
    CORRELATOR("correlator", "keyed exchange"),
    /** The correlator's batch that holds the event is released to the patterns. */
    BATCHED("batched", "correlator wait (batching)"),
    /** Through the correlator: the end of an event's path. */
    END("end", "correlation"),
    /** A finding reported (measured per finding, from the kernel timestamp of its latest event). */
    FINDING("finding", "finding");

    private final String label;
    private final String work;

    Stage(String label, String work) {
        this.label = label;
        this.work = work;
    }

    /** The value of the metric's {@code stage} tag. */
    public String label() {
        return label;
    }

    /** What happens between the stage before and this one. */
    public String work() {
        return work;
    }
}
