package io.tapio.correlate.process;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * A run of a process that ended badly for its workload, with what explains it. Made by the
 * {@link ProcessTracker} from the exits of a chain of processes: a helper that failed, the
 * parent that failed because of it, up to the workload's main process when it failed too.
 *
 * @param epochMillis when the last process of the chain ended, wall clock
 * @param program the program that failed: the deepest process of the chain whose failure has a
 *     cause or was a crash, else the topmost that failed
 * @param main whether the workload's main process failed (itself, or because of this chain)
 * @param crashed ended by a crash signal (SIGSEGV, SIGABRT, SIGBUS, ...)
 * @param cause what the failing program met just before it ended; null when nothing explains it
 * @param events the cause's event, then each exit of the chain, oldest first
 */
public record Failure(
        long epochMillis,
        Workload workload,
        String program,
        boolean main,
        boolean crashed,
        Cause cause,
        List<KernelEvent> events)
        implements Observation {
    /** A failure outlasts the hand-over of its events (it waits for a parent's exit, it is evidence): it keeps copies of lent ones. */
    public Failure {
        events = events.stream().map(KernelEvent::kept).toList();
    }

    @Override
    public int eventCount() {
        return events.size();
    }

    @Override
    public KernelEvent eventAt(int index) {
        return events.get(index);
    }

    /** Whether a helper's failure says something on its own: a crash, or a failure with a cause. */
    boolean tellsOnItsOwn() {
        return crashed || cause != null;
    }

    /** This failure as it reached {@code parent}'s exit at {@code at}, which it made fail too. */
    Failure reaching(long at, KernelEvent parent, boolean parentIsMain) {
        List<KernelEvent> chain = new ArrayList<>(events);
        chain.add(parent);
        String failed = tellsOnItsOwn() ? program : parent.comm();
        return new Failure(at, workload, failed, parentIsMain, crashed, cause, chain);
    }
}
