package io.tapio.correlate.patterns;

import io.tapio.model.EnrichedEvent;
import io.tapio.model.Severity;
import java.io.Serializable;

/**
 * One kind of trouble to find in a workload's events: which events count, what they are
 * about, the {@link Rule} that makes them an episode, and how to tell a person about it.
 * Small classes, one per pattern (see {@code patterns/}).
 */
public interface Pattern extends Serializable {
    /** The name in findings and metrics: {@code crash_loop}, ... */
    String name();

    Role role(EnrichedEvent event);

    /**
     * What in the workload the event is about, beyond the workload itself (a destination, a
     * path, an executable); episodes are per workload and subject.
     */
    String subject(EnrichedEvent event);

    Rule rule();

    Severity severity();

    /** One sentence a person can act on. */
    String summary(Episode episode);

    String recommendation(Episode episode);
}
