package io.tapio.correlate.process;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.types.Copyable;
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
 * <p>Changed in place and put back: a process's every failed open changes its record, and a new
 * record for each was a tenth of the bytes the job allocated per event. The heap backend copies
 * a record a checkpoint still holds before handing it out ({@link #copy}); the events it holds
 * never change. The fields keep the names (and the class its serial version) of the record this
 * class was, so that checkpoints written by it restore.
 */
final class ProcessRecord implements Copyable<ProcessRecord>, Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    /** The latest failed open or connect, or null. */
    private KernelEvent lastCause;
    /** When it was sent SIGKILL (the kernel's clock), or 0. */
    private long killedAtNs;
    /** Event time of the record's latest change, from which it expires. */
    private long touchedMillis;

    ProcessRecord() {}

    private ProcessRecord(KernelEvent lastCause, long killedAtNs, long touchedMillis) {
        this.lastCause = lastCause;
        this.killedAtNs = killedAtNs;
        this.touchedMillis = touchedMillis;
    }

    /**
     * The process's latest failed open or connect, at {@code atMillis}.
     *
     * @return whether the record now holds a lent event where it held none, to be kept at the end
     *     of its hand-over ({@link #keepCause})
     */
    boolean cause(KernelEvent event, long atMillis) {
        boolean newlyLent = event.lent() && (lastCause == null || !lastCause.lent());
        lastCause = event;
        touchedMillis = atMillis;
        return newlyLent;
    }

    /** The end of a hand-over: a lent cause is replaced by its copy. */
    void keepCause() {
        if (lastCause != null) {
            lastCause = lastCause.kept();
        }
    }

    void killedAt(long timestampNs, long atMillis) {
        killedAtNs = timestampNs;
        touchedMillis = atMillis;
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

    @Override
    public ProcessRecord copy() {
        return new ProcessRecord(lastCause, killedAtNs, touchedMillis);
    }
}
