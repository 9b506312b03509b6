package io.tapio.correlate.patterns;

import io.tapio.ebpf.abi.EventType;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Severity;
import java.time.Duration;

/** A workload's process was OOM-killed. */
public final class OomKillPattern extends BasePattern {
    public static final Rule DEFAULT = Rule.count(1, Duration.ofMinutes(10), Duration.ofMinutes(10));

    public OomKillPattern(Rule rule) {
        super("oom_kill", Severity.WARNING, rule);
    }

    @Override
    public Role role(EnrichedEvent e) {
        return e.event().type() == EventType.OOM_KILL ? Role.OCCURRENCE : Role.IGNORE;
    }

    @Override
    public String subject(EnrichedEvent e) {
        return "";
    }

    @Override
    public String summary(Episode episode) {
        return episode.workload().displayName() + " was OOM-killed " + times(episode.count()) + ": " + latest(episode)
                + ".";
    }

    @Override
    public String recommendation(Episode episode) {
        return "Raise the container's memory limit, or find what grows its memory (heap size, caches, a leak) "
                + "before it reaches the limit.";
    }
}
