package io.tapio.correlate.patterns;

import io.tapio.ebpf.abi.TcpRetransmit;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.EventText;
import io.tapio.model.Severity;
import java.time.Duration;

/** Many retransmits from a workload towards one destination: loss or congestion on the way. */
public final class RetransmitStormPattern extends BasePattern {
    public static final Rule DEFAULT = Rule.count(50, Duration.ofMinutes(1), Duration.ofMinutes(2));

    public RetransmitStormPattern(Rule rule) {
        super("retransmit_storm", Severity.WARNING, rule);
    }

    @Override
    public Role role(EnrichedEvent e) {
        return e.event().payload() instanceof TcpRetransmit ? Role.OCCURRENCE : Role.IGNORE;
    }

    /** The destination. */
    @Override
    public String subject(EnrichedEvent e) {
        return EventText.address(
                e.event().payload(TcpRetransmit.class).endpoints().destination());
    }

    @Override
    public String summary(Episode episode) {
        return episode.workload().displayName() + " retransmitted " + episode.count() + " segments to "
                + episode.subject() + " within minutes: packets are being lost or delayed on the way.";
    }

    @Override
    public String recommendation(Episode episode) {
        return "Check the path to " + episode.subject() + ": interface errors and drops, MTU, an overloaded peer "
                + "or network policy; compare with other workloads talking to it.";
    }
}
