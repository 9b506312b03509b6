package io.tapio.correlate.process;

import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.Signal;
import io.tapio.model.Workload;
import io.tapio.model.types.JavaSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Follows the processes of one workload (the correlator's key) and makes the ends of their
 * runs into {@link Failure}s, each with what explains it:
 *
 * <ul>
 *   <li>A run fails when it ends with a crash signal (SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE,
 *       SIGTRAP, SIGSYS) or a non-zero status. A process sent SIGKILL did not fail: the OOM
 *       killer's kills and kills by other processes are patterns of their own, and a process
 *       that kills itself meant to. Nor did a process stopped by any other signal (SIGTERM is
 *       how services are stopped).
 *   <li>The workload's main process failing is a failure (see {@link ExitOrigin}). A helper's or
 *       a visitor's failure waits {@link #PARENT_GRACE} for its parent: when the parent fails
 *       within it, the two are one failure, the parent's, told by the helper's cause; otherwise
 *       the helper's failure counts on its own only when it crashed or has a cause. A script's
 *       {@code grep}, {@code test} or {@code readlink} exiting 1 is how scripts work.
 *   <li>The cause of a failure is the latest failed open or connect of the process that failed,
 *       within its life.
 * </ul>
 *
 * <p>State, in Flink keyed state: a record per live process that met a failed open or connect or
 * a kill, and per parent the helper that ended last. A record untouched for {@link #RECORD_TTL}
 * of event time is forgotten (what an exit lost in a full ring leaves behind): it no longer
 * counts, and the key's next sweep ({@link #sweep}) removes it. That is the correlator's own
 * cleanup rather than Flink's state time-to-live, which wrapped every value and, on the heap
 * backend, made an iterator at each access for its incremental cleanup (README "The correlator").
 */
public final class ProcessTracker {
    /** How long a helper's end waits for its parent's: a parent that fails because of a child does at once. */
    public static final Duration PARENT_GRACE = Duration.ofSeconds(2);
    /** A live process's record outlives its last update by this much at most (an exit lost in a full ring). */
    static final Duration RECORD_TTL = Duration.ofMinutes(10);

    private static final int SIGKILL = 9;
    private static final Set<Integer> CRASH_SIGNALS = Set.of(4, 5, 6, 7, 8, 11, 31);

    private final MapState<Integer, ProcessRecord> processes;
    private final MapState<Integer, EndedChild> endedChildren;

    /** The records whose cause is a lent event of the hand-over under way ({@link #keepLent}). */
    private final List<ProcessRecord> holdingLent = new ArrayList<>();
    /** The pid boxed last: a process's run of failed opens boxes it once, not once an event. */
    private Integer lastPid;

    public ProcessTracker(RuntimeContext context) {
        this.processes = context.getMapState(
                new MapStateDescriptor<>("processes", Types.INT, JavaSerializer.typeOf(ProcessRecord.class)));
        // Ended children leave at their parent's grace, on the timer their end sets.
        this.endedChildren = context.getMapState(new MapStateDescriptor<>(
                "ended-children", Types.INT, JavaSerializer.typeOfImmutable(EndedChild.class)));
    }

    /**
     * Takes the key's next event, at {@code epochMillis} (wall clock), and hands {@code failures}
     * the failures it completes: the main process's, or a helper's whose parent did not fail
     * with it (another child of the same parent ended since).
     */
    public void observe(
            long epochMillis, KernelEvent event, Workload workload, TimerService timers, Consumer<Failure> failures)
            throws Exception {
        switch (event.type()) { // decoding only the payloads it reads
            case EXIT -> ended(epochMillis, event, event.payload(Exit.class), workload, timers, failures);
            case SIGNAL -> {
                if (event.payload(Signal.class).signal() == SIGKILL) {
                    killed(epochMillis, event, timers);
                }
            }
            case OOM_KILL -> killed(epochMillis, event, timers);
            default -> {
                if (Cause.kindOf(event) != null) {
                    Integer pid = boxed(event.pid()); // for the lookup and the update
                    ProcessRecord record = current(pid, epochMillis, timers);
                    if (record.cause(event, epochMillis)) {
                        holdingLent.add(record);
                    }
                    processes.put(pid, record); // a new one, or for a backend that holds bytes
                }
            }
        }
    }

    /**
     * The end of a hand-over: every record whose latest cause is a lent event keeps a copy of it
     * (one per process and hand-over, where a copy per failed open was half the bytes the job
     * allocated under a load of them).
     */
    public void keepLent() {
        for (int i = 0; i < holdingLent.size(); i++) {
            holdingLent.get(i).keepCause();
        }
        holdingLent.clear();
    }

    private Integer boxed(int pid) {
        Integer last = lastPid;
        if (last == null || last != pid) {
            lastPid = last = pid;
        }
        return last;
    }

    /**
     * At event time {@code now}: the helpers' failures whose parent did not fail with them and
     * that say something on their own, oldest first.
     */
    public List<Failure> expire(long now) throws Exception {
        List<Failure> alone = new ArrayList<>();
        Iterator<Map.Entry<Integer, EndedChild>> all = endedChildren.iterator();
        while (all.hasNext()) {
            EndedChild child = all.next().getValue();
            if (child.endedMillis() + PARENT_GRACE.toMillis() <= now) {
                all.remove();
                if (!child.killed() && child.failure().tellsOnItsOwn()) {
                    alone.add(child.failure());
                }
            }
        }
        if (endedChildren.isEmpty()) {
            endedChildren.clear(); // an empty map is still an entry of the key's state
        }
        alone.sort((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
        return alone;
    }

    private void ended(
            long at, KernelEvent event, Exit exit, Workload workload, TimerService timers, Consumer<Failure> failures)
            throws Exception {
        int pid = event.pid();
        long startedNs = event.timestampNs() - exit.lifetimeNs();
        ProcessRecord record = live(processes.get(pid), at);
        boolean killed = record != null && record.killedSince(startedNs);
        KernelEvent cause = record == null ? null : record.causeSince(startedNs);
        processes.remove(pid);
        EndedChild child = endedChildren.get(pid);
        if (child != null) {
            endedChildren.remove(pid);
            if (child.endedNs() < startedNs) {
                child = null; // a child of an earlier process with this pid
            }
        }
        boolean main = exit.origin() == ExitOrigin.MAIN || exit.origin() == ExitOrigin.UNKNOWN;
        Failure failure;
        if (exit.signal() == SIGKILL || killed || child != null && child.killed()) {
            failure = null; // the kill explains it, and is told by a pattern of its own
        } else if (CRASH_SIGNALS.contains(exit.signal())) {
            failure = own(at, event, workload, main, true, cause);
        } else if (exit.signal() != 0 || exit.exitStatus() == 0) {
            return; // stopped, or a clean exit: nothing failed
        } else if (child != null) {
            failure = child.failure().reaching(at, event, main);
        } else {
            failure = own(at, event, workload, main, false, cause);
        }
        if (main) {
            if (failure != null) {
                failures.accept(failure);
            }
            return;
        }
        EndedChild sibling = endedChildren.get(exit.ppid());
        if (sibling != null && !sibling.killed() && sibling.failure().tellsOnItsOwn()) {
            failures.accept(sibling.failure()); // the parent went on after it: it is on its own
        }
        endedChildren.put(exit.ppid(), new EndedChild(at, event.timestampNs(), failure));
        timers.registerEventTimeTimer(EventTimers.at(at + PARENT_GRACE.toMillis()));
    }

    private static Failure own(
            long at, KernelEvent exit, Workload workload, boolean main, boolean crashed, KernelEvent cause) {
        return new Failure(
                at,
                workload,
                exit.comm(),
                main,
                crashed,
                cause == null ? null : Cause.of(cause),
                cause == null ? List.of(exit) : List.of(cause, exit));
    }

    /**
     * At event time {@code now} (a sweep): forgets the records untouched for {@link #RECORD_TTL},
     * and asks for the sweep that forgets the oldest one left, if any.
     */
    public void sweep(long now, TimerService timers) throws Exception {
        long next = Long.MAX_VALUE;
        Iterator<ProcessRecord> all = processes.values().iterator();
        while (all.hasNext()) {
            long expiresAt = all.next().expiresAt();
            if (expiresAt <= now) {
                all.remove();
            } else {
                next = Math.min(next, expiresAt);
            }
        }
        if (next == Long.MAX_VALUE) {
            processes.clear(); // an empty map is still an entry of the key's state
        } else {
            timers.registerEventTimeTimer(EventTimers.sweepAfter(next));
        }
    }

    private void killed(long at, KernelEvent event, TimerService timers) throws Exception {
        Integer pid = boxed(event.pid());
        ProcessRecord record = current(pid, at, timers);
        record.killedAt(event.timestampNs(), at);
        processes.put(pid, record);
    }

    /** The process's record at {@code at}, to be changed and put back: a new one when it has none or it expired. */
    private ProcessRecord current(Integer pid, long at, TimerService timers) throws Exception {
        ProcessRecord found = processes.get(pid);
        if (found == null && processes.isEmpty()) {
            // The key's first record asks for the sweep that forgets it, should its exit be lost,
            // and a sweep that finds records left asks for the next: while the key keeps any
            // record, a sweep is due by the time the oldest expires, and later records need none.
            timers.registerEventTimeTimer(EventTimers.sweepAfter(at + RECORD_TTL.toMillis()));
        }
        ProcessRecord live = live(found, at);
        return live != null ? live : new ProcessRecord();
    }

    /** The record, or null when there is none or it has expired by {@code at}. */
    private static ProcessRecord live(ProcessRecord record, long at) {
        return record == null || record.expiresAt() <= at ? null : record;
    }
}
