package io.tapio.correlate.patterns;

import io.tapio.ebpf.abi.ConnectOutcome;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.EventText;
import io.tapio.model.Severity;
import java.time.Duration;

/** A workload keeps failing to connect to the same destination. */
public final class DependencyUnreachablePattern extends BasePattern {
    public static final Rule DEFAULT = Rule.count(3, Duration.ofMinutes(1), Duration.ofMinutes(2));

    public DependencyUnreachablePattern(Rule rule) {
        super("dependency_unreachable", Severity.WARNING, rule);
    }

    @Override
    public Role role(EnrichedEvent e) {
        return e.event().payload() instanceof TcpConnect c
                        && c.outcome().failed()
                        && c.outcome() != ConnectOutcome.ABORTED
                ? Role.OCCURRENCE
                : Role.IGNORE;
    }

    /** The destination. */
    @Override
    public String subject(EnrichedEvent e) {
        return EventText.address(e.event().payload(TcpConnect.class).endpoints().destination());
    }

    @Override
    public String summary(Episode episode) {
        return episode.workload().displayName() + " cannot reach " + episode.subject() + ": " + episode.count()
                + " failed connects (last: " + latest(episode) + ").";
    }

    @Override
    public String recommendation(Episode episode) {
        return "Check that the service at " + episode.subject() + " runs and listens, its Service and endpoints, "
                + "and network policies between the two.";
    }
}
