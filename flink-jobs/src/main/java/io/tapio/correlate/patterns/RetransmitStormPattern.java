package io.tapio.correlate.patterns;

import io.tapio.correlate.process.Observation;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.TcpRetransmit;
import io.tapio.model.EventText;
import io.tapio.model.Severity;
import java.time.Duration;

/**
 * Many retransmits from a workload towards one destination: loss or congestion on the way.
 *
 * <p>Deliberately not raised: the occasional retransmit of a healthy path (fewer than the rule's
 * count in its window).
 */
public final class RetransmitStormPattern extends BasePattern {
    public static final Rule DEFAULT = Rule.count(50, Duration.ofMinutes(1), Duration.ofMinutes(2));

    public RetransmitStormPattern(Rule rule) {
        super("retransmit_storm", Severity.WARNING, rule);
    }

    @Override
    public boolean matches(Observation o) {
        return o instanceof Observation.Seen seen && seen.event().type() == EventType.TCP_RETRANSMIT;
    }

    /** The destination. */
    @Override
    public String subject(Observation o) {
        return EventText.address(((Observation.Seen) o)
                .event()
                .payload(TcpRetransmit.class)
                .endpoints()
                .destination());
    }

    @Override
    public String summary(Episode episode) {
        return episode.workload().displayName() + " retransmitted " + episode.count() + " segments to "
                + episode.subject() + " within minutes (last: " + lastProcess(episode)
                + "): packets are being lost or delayed on the way.";
    }

    @Override
    public String recommendation(Episode episode) {
        return "Check the path to " + episode.subject() + ": interface errors and drops, MTU, an overloaded peer "
                + "or network policy; compare with other workloads talking to it.";
    }
}
