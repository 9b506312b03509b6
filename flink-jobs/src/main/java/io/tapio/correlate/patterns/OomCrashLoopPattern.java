package io.tapio.correlate.patterns;

import io.tapio.model.EnrichedEvent;
import io.tapio.model.Severity;
import java.time.Duration;

/** The same executable in a workload is OOM-killed again and again, restarted between the kills. */
public final class OomCrashLoopPattern extends BasePattern {
    public static final Rule DEFAULT =
            Rule.count(3, Duration.ofMinutes(10), Duration.ofMinutes(10)).withRestartsBetween(Duration.ofMillis(500));

    public OomCrashLoopPattern(Rule rule) {
        super("oom_crash_loop", Severity.CRITICAL, rule);
    }

    @Override
    public Role role(EnrichedEvent e) {
        return switch (e.event().type()) {
            case OOM_KILL -> Role.OCCURRENCE;
            case EXEC -> Role.RESTART;
            default -> Role.IGNORE;
        };
    }

    /** The executable: the victim's name, and what an exec restarts. */
    @Override
    public String subject(EnrichedEvent e) {
        return e.event().comm();
    }

    @Override
    public String summary(Episode episode) {
        return episode.workload().displayName() + " is in an OOM crash loop: OOM-killed " + times(episode.count())
                + " and restarted each time; last: " + latest(episode) + ".";
    }

    @Override
    public String recommendation(Episode episode) {
        return "It will not recover by restarting: raise its memory limit or cut its memory use "
                + "(heap, caches, a leak), then restart it.";
    }
}
