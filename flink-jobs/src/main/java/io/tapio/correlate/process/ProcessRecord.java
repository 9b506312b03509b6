package io.tapio.correlate.process;

import io.tapio.ebpf.abi.KernelEvent;
import java.io.Serial;
import java.io.Serializable;

/**
 * What the tracker remembers of a live process that met something worth remembering: the
 * latest failed open or connect (what would explain its failure), and when it was sent
 * SIGKILL (its exit is then the kill's, already told by the OOM or kill patterns). Processes
 * that meet nothing have no record.
 *
 * <p>A record is keyed by pid alone; the times let the exit tell its own process's record from
 * one a previous process of the same pid left (its exit lost, the ring having overflowed).
 *
 * @param lastCause the latest failed open or connect, or null
 * @param killedAtNs when it was sent SIGKILL (the kernel's clock), or 0
 * @param touchedMillis event time of the record's latest change, from which it expires
 */
record ProcessRecord(KernelEvent lastCause, long killedAtNs, long touchedMillis) implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    static final ProcessRecord NONE = new ProcessRecord(null, 0, 0);

    ProcessRecord withCause(KernelEvent event, long atMillis) {
        return new ProcessRecord(event, killedAtNs, atMillis);
    }

    ProcessRecord killedAt(long timestampNs, long atMillis) {
        return new ProcessRecord(lastCause, timestampNs, atMillis);
    }

    /** Event time from which the record is forgotten, untouched since. */
    long expiresAt() {
        return touchedMillis + ProcessTracker.RECORD_TTL.toMillis();
    }

    /** The latest failed open or connect of the process that started at {@code startedNs}, or null. */
    KernelEvent causeSince(long startedNs) {
        return lastCause != null && lastCause.timestampNs() >= startedNs ? lastCause : null;
    }

    /** Whether the process that started at {@code startedNs} was sent SIGKILL. */
    boolean killedSince(long startedNs) {
        return killedAtNs != 0 && killedAtNs >= startedNs;
    }
}
