package io.tapio.correlate.patterns;

import io.tapio.ebpf.abi.Signal;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Severity;
import java.time.Duration;

/**
 * A process was killed with SIGKILL by another process (not by the kernel: OOM kills have a
 * pattern of their own). SIGTERM is how services are stopped normally and is left out.
 */
public final class KilledBySignalPattern extends BasePattern {
    public static final Rule DEFAULT = Rule.count(1, Duration.ofMinutes(1), Duration.ofMinutes(2));
    private static final int SIGKILL = 9;

    public KilledBySignalPattern(Rule rule) {
        super("killed_by_signal", Severity.WARNING, rule);
    }

    @Override
    public Role role(EnrichedEvent e) {
        return e.event().payload() instanceof Signal s
                        && s.signal() == SIGKILL
                        && !s.fromKernel()
                        && s.senderPid() != e.event().pid()
                ? Role.OCCURRENCE
                : Role.IGNORE;
    }

    /** The sender. */
    @Override
    public String subject(EnrichedEvent e) {
        Signal s = e.event().payload(Signal.class);
        return s.senderComm() + " (pid " + s.senderPid() + ")";
    }

    @Override
    public String summary(Episode episode) {
        var last = episode.evidence().getLast();
        return last.comm() + " (pid " + last.pid() + ") in "
                + episode.workload().displayName()
                + " was killed with SIGKILL by " + episode.subject()
                + (episode.count() > 1 ? "; " + episode.count() + " processes so far" : "") + ".";
    }

    @Override
    public String recommendation(Episode episode) {
        return "Find out why " + episode.subject() + " kills it: an operator, a watchdog, a stop that took longer "
                + "than its grace period.";
    }
}
