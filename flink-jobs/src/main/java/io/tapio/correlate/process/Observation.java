package io.tapio.correlate.process;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.Workload;
import java.io.Serializable;
import java.util.List;

/**
 * What the patterns look at in one workload: a kernel event as it came ({@link Seen}), or a
 * {@link Failure} that the {@link ProcessTracker} made out of several.
 */
public sealed interface Observation extends Serializable permits Observation.Seen, Failure {
    /** When it happened, wall clock (the event's, or the failed run's end). */
    long epochMillis();

    Workload workload();

    /** The kernel events that show it, oldest first: a finding's evidence. */
    List<KernelEvent> events();

    /** One kernel event, at {@code epochMillis} (wall clock). */
    record Seen(long epochMillis, Workload workload, KernelEvent event) implements Observation {
        @Override
        public List<KernelEvent> events() {
            return List.of(event);
        }
    }
}
