package io.tapio.correlate.patterns;

import io.tapio.correlate.process.Cause;
import io.tapio.correlate.process.Observation;
import io.tapio.ebpf.abi.ConnectOutcome;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.model.EventText;
import io.tapio.model.Severity;
import java.net.InetAddress;
import java.time.Duration;

/**
 * A workload keeps failing to connect to the same destination, for long enough that it is not
 * a passing moment: its dependency is down, or the way to it is closed.
 *
 * <p>Deliberately not raised: failed connects that pass within {@code minSpan} (a script or an
 * init container waiting a few seconds for a port that then opens); connects the program
 * abandoned itself; a refused connect to the IPv6 loopback, which is how a dual-stack client
 * falls back when {@code localhost} resolves to {@code ::1} first and the server listens on
 * 127.0.0.1 only (the connect that follows succeeds, and successes are not reported); failed
 * connects of runs that then completed: a main process of the workload that exits with status 0
 * got past its wait, so the runs of a job that each wait a few seconds for a port do not add up
 * to a lasting outage (successful connects are not reported, so a completed run is the sign).
 */
public final class DependencyUnreachablePattern extends BasePattern {
    public static final Rule DEFAULT =
            Rule.count(3, Duration.ofMinutes(5), Duration.ofMinutes(2)).lasting(Duration.ofSeconds(30));

    public DependencyUnreachablePattern(Rule rule) {
        super(Cause.Kind.UNREACHABLE.pattern(), Severity.WARNING, rule);
    }

    @Override
    public boolean matches(Observation o) {
        return o instanceof Observation.Seen seen
                && seen.event().payloadIf(TcpConnect.class) instanceof TcpConnect c
                && c.outcome().failed()
                && c.outcome() != ConnectOutcome.ABORTED
                && !(c.outcome() == ConnectOutcome.REFUSED
                        && isIpv6Loopback(c.endpoints().destination().getAddress()));
    }

    @Override
    public boolean clears(Observation o) {
        return o instanceof Observation.Seen seen
                && seen.event().payloadIf(Exit.class) instanceof Exit exit
                && exit.origin() == ExitOrigin.MAIN
                && !exit.abnormal();
    }

    /** The destination. */
    @Override
    public String subject(Observation o) {
        return EventText.address(((Observation.Seen) o)
                .event()
                .payload(TcpConnect.class)
                .endpoints()
                .destination());
    }

    @Override
    public String causeKey(Episode episode) {
        return Cause.key(name(), episode.subject());
    }

    @Override
    public String summary(Episode episode) {
        return episode.workload().displayName() + " cannot reach " + episode.subject() + ": " + episode.count()
                + " failed connects over " + span(episode) + " (last: " + lastProcess(episode) + ", "
                + latest(episode) + ").";
    }

    @Override
    public String recommendation(Episode episode) {
        return FailureCausePattern.fix(Cause.Kind.UNREACHABLE, episode.subject());
    }

    private static boolean isIpv6Loopback(InetAddress address) {
        return address instanceof java.net.Inet6Address && address.isLoopbackAddress();
    }
}
