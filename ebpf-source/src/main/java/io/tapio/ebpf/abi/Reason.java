package io.tapio.ebpf.abi;

import java.util.Locale;

/**
 * {@code enum tapio_reason}: what the kernel side did with a candidate event. Every
 * candidate is counted under exactly one, per CPU and per type, so that candidates =
 * delivered + lost + filtered, exactly.
 */
public enum Reason {
    /** Submitted to the ring buffer. */
    EMITTED,
    /** The ring buffer had no room: a real loss. */
    RING_FULL,
    TYPE_DISABLED,
    IGNORED_COMM,
    IGNORED_CGROUP,
    /** A latency under the type's threshold. */
    BELOW_THRESHOLD,
    /** A failed open under an ignored path prefix. */
    IGNORED_PATH,
    /** An open that succeeded: not a failure, not an event. */
    SUCCEEDED,
    /** A signal that neither kills nor stops its target. */
    NOT_FATAL;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The name used in metrics: {@code ring_full}, ... */
    public String label() {
        return label;
    }

    /** Dropped by a filter rule, as opposed to delivered or lost. */
    public boolean filtered() {
        return this != EMITTED && this != RING_FULL;
    }
}
