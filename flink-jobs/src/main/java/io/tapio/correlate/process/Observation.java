package io.tapio.correlate.process;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.Workload;
import java.io.Serializable;
import java.util.Objects;

/**
 * What the patterns look at in one workload: a kernel event as it came ({@link Seen}), or a
 * {@link Failure} that the {@link ProcessTracker} made out of several.
 */
public sealed interface Observation extends Serializable permits Observation.Seen, Failure {
    /** When it happened, wall clock (the event's, or the failed run's end). */
    long epochMillis();

    Workload workload();

    /** How many kernel events show it: a finding's evidence. */
    int eventCount();

    /**
     * The kernel events that show it, by index, oldest first. By index rather than as a list: an
     * event seen alone would make a list of one for every event.
     */
    KernelEvent eventAt(int index);

    /** The newest of the events that show it. */
    default KernelEvent latestEvent() {
        return eventAt(eventCount() - 1);
    }

    /**
     * One kernel event, at {@code epochMillis} (wall clock). The correlator hands the patterns
     * one at a time and then points it at the next event ({@link #moveTo}), rather than make one
     * for every event (a tenth of the job's bytes per event): whatever keeps something of an
     * observation keeps its parts (the event, the workload), never the observation.
     */
    final class Seen implements Observation {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private long epochMillis;
        private Workload workload;
        private KernelEvent event;

        public Seen(long epochMillis, Workload workload, KernelEvent event) {
            moveTo(epochMillis, workload, event);
        }

        /** Makes this the observation of {@code event}, at {@code epochMillis}, in {@code workload}. */
        public Seen moveTo(long epochMillis, Workload workload, KernelEvent event) {
            this.epochMillis = epochMillis;
            this.workload = workload;
            this.event = event;
            return this;
        }

        @Override
        public long epochMillis() {
            return epochMillis;
        }

        @Override
        public Workload workload() {
            return workload;
        }

        public KernelEvent event() {
            return event;
        }

        @Override
        public int eventCount() {
            return 1;
        }

        @Override
        public KernelEvent eventAt(int index) {
            Objects.checkIndex(index, 1);
            return event;
        }

        @Override
        public String toString() {
            return "Seen[epochMillis=" + epochMillis + ", workload=" + workload + ", event=" + event + "]";
        }
    }
}
