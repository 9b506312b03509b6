package io.tapio.correlate.patterns;

import io.tapio.correlate.process.Observation;
import io.tapio.ebpf.abi.EventType;
import io.tapio.model.Severity;
import java.time.Duration;
import java.util.List;

/**
 * A workload's program was OOM-killed: one incident per program, which escalates to an OOM
 * crash loop (critical) when the program keeps being killed and started again. The kill's
 * SIGKILL, the victim's exit and the failure of a parent that ran it are part of the incident,
 * not failures of their own.
 *
 * <p>Deliberately not raised separately: each kill of a loop (one incident, its count grows);
 * kills within {@code minSpacing} of each other (one OOM event of the workload).
 */
public final class OomPattern extends BasePattern {
    public static final Rule DEFAULT =
            Rule.count(1, Duration.ofMinutes(10), Duration.ofMinutes(10)).withMinSpacing(Duration.ofMillis(500));
    /** Kills within the rule's window that make a loop. */
    public static final int LOOP = 3;

    private static final Verdict KILLED = new Verdict("oom_kill", Severity.WARNING);
    private static final Verdict LOOPING = new Verdict("oom_crash_loop", Severity.CRITICAL);

    public OomPattern(Rule rule) {
        super(KILLED.pattern(), KILLED.severity(), rule);
    }

    @Override
    public boolean matches(Observation o) {
        return o instanceof Observation.Seen seen && seen.event().type() == EventType.OOM_KILL;
    }

    /** The program: the victim's name. */
    @Override
    public String subject(Observation o) {
        return ((Observation.Seen) o).event().comm();
    }

    @Override
    public List<Verdict> verdicts() {
        return List.of(KILLED, LOOPING);
    }

    @Override
    public Verdict verdict(Episode episode) {
        long window = rule().window().toMillis();
        return episode.occurrencesWithin(episode.lastSeen() - window, episode.lastSeen()) >= LOOP ? LOOPING : KILLED;
    }

    @Override
    public String summary(Episode episode) {
        return verdict(episode) == LOOPING
                ? episode.subject() + " in " + episode.workload().displayName()
                        + " is in an OOM crash loop: OOM-killed "
                        + times(episode.count()) + " in " + span(episode) + " and started again each time; last: "
                        + latest(episode) + "."
                : episode.subject() + " in " + episode.workload().displayName() + " was OOM-killed "
                        + times(episode.count()) + ": " + latest(episode) + ".";
    }

    @Override
    public String recommendation(Episode episode) {
        return verdict(episode) == LOOPING
                ? "It will not recover by restarting: raise its memory limit or cut its memory use (heap, caches, "
                        + "a leak), then restart it."
                : "Raise the container's memory limit, or find what grows its memory (heap size, caches, a leak) "
                        + "before it reaches the limit.";
    }
}
