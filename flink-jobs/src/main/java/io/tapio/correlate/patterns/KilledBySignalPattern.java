package io.tapio.correlate.patterns;

import io.tapio.correlate.process.Observation;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.Signal;
import io.tapio.model.Severity;
import java.time.Duration;

/**
 * A process of a workload was killed with SIGKILL from outside the workload (an operator, a
 * watchdog, the kubelet after a grace period ran out). Its exit is part of the incident.
 *
 * <p>Deliberately not raised: SIGTERM (how services are stopped); the kernel's kills (OOM kills
 * are a pattern of their own); a process killing itself; kills by a process of the same cgroup
 * ({@code timeout}, a supervisor stopping its own worker).
 */
public final class KilledBySignalPattern extends BasePattern {
    public static final Rule DEFAULT = Rule.count(1, Duration.ofMinutes(1), Duration.ofMinutes(2));
    private static final int SIGKILL = 9;

    public KilledBySignalPattern(Rule rule) {
        super("killed_by_signal", Severity.WARNING, rule);
    }

    @Override
    public boolean matches(Observation o) {
        if (!(o instanceof Observation.Seen seen) || !(seen.event().payloadIf(Signal.class) instanceof Signal s)) {
            return false;
        }
        KernelEvent e = seen.event();
        return s.signal() == SIGKILL
                && !s.fromKernel()
                && s.senderPid() != e.pid()
                && s.senderCgroupId() != e.cgroupId();
    }

    /** The sender. */
    @Override
    public String subject(Observation o) {
        Signal s = ((Observation.Seen) o).event().payload(Signal.class);
        return s.senderComm() + " (pid " + s.senderPid() + ")";
    }

    @Override
    public String summary(Episode episode) {
        return lastProcess(episode) + " in " + episode.workload().displayName()
                + " was killed with SIGKILL by " + episode.subject()
                + (episode.count() > 1 ? "; " + episode.count() + " processes so far" : "") + ".";
    }

    @Override
    public String recommendation(Episode episode) {
        return "Find out why " + episode.subject() + " kills it: an operator, a watchdog, a stop that took longer "
                + "than its grace period.";
    }
}
