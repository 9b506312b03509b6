package io.tapio.correlate.patterns;

import io.tapio.correlate.process.Observation;
import io.tapio.model.Severity;
import java.io.Serializable;
import java.util.List;

/**
 * One kind of trouble to find in a workload's observations: which count, what they are about,
 * the {@link Rule} that makes them an episode, and how to tell a person about it. Small
 * classes, one per pattern; each says in its javadoc what it deliberately does not raise.
 */
public interface Pattern extends Serializable {
    /** The pattern's name: its episodes' key, and the name its reports carry unless it escalates. */
    String name();

    Severity severity();

    Rule rule();

    /** Whether the observation is one of the pattern's occurrences. */
    boolean matches(Observation observation);

    /**
     * What in the workload the occurrence is about, beyond the workload itself (a destination,
     * a path, a program); episodes are per workload and subject.
     */
    String subject(Observation observation);

    /** Every verdict the pattern's reports can carry, the one it opens with first. */
    default List<Verdict> verdicts() {
        return List.of(new Verdict(name(), severity()));
    }

    /** What a report of {@code episode} says now. */
    default Verdict verdict(Episode episode) {
        return verdicts().getFirst();
    }

    /**
     * The root cause {@code episode} is about, as a {@link io.tapio.correlate.process.Cause#key()},
     * or null: an episode does not open while another of the workload about the same cause is
     * open, so that one cause makes one incident.
     */
    default String causeKey(Episode episode) {
        return null;
    }

    /**
     * Whether the observation shows that the occurrences so far were a passing moment of the
     * workload: its episodes of this pattern that are not open forget them. None does by default.
     */
    default boolean clears(Observation observation) {
        return false;
    }

    /** One sentence a person can act on. */
    String summary(Episode episode);

    String recommendation(Episode episode);
}
