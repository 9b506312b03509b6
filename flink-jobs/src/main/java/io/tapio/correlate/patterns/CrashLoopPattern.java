package io.tapio.correlate.patterns;

import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.Exit;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Severity;
import java.time.Duration;
import java.util.Set;

/**
 * The same executable in a workload fails again and again and is started again between the
 * failures: what Kubernetes shows as CrashLoopBackOff. Exits by SIGKILL or SIGTERM are left
 * to the OOM and killed-by patterns; a failure is a non-zero status or a crash signal.
 */
public final class CrashLoopPattern extends BasePattern {
    public static final Rule DEFAULT =
            Rule.count(3, Duration.ofMinutes(5), Duration.ofMinutes(10)).withRestartsBetween(Duration.ofMillis(500));

    /** SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS: the program crashed. */
    private static final Set<Integer> CRASH_SIGNALS = Set.of(4, 5, 6, 7, 8, 11, 31);

    public CrashLoopPattern(Rule rule) {
        super("crash_loop", Severity.WARNING, rule);
    }

    @Override
    public Role role(EnrichedEvent e) {
        return switch (e.event().payload()) {
            case Exit exit
            when exit.signal() == 0 ? exit.exitStatus() != 0 : CRASH_SIGNALS.contains(exit.signal()) -> Role.OCCURRENCE;
            case Exec _ -> Role.RESTART;
            default -> Role.IGNORE;
        };
    }

    /** The executable: an exec and the exits of what it started share it. */
    @Override
    public String subject(EnrichedEvent e) {
        return e.event().comm();
    }

    @Override
    public String summary(Episode episode) {
        return episode.subject() + " in " + episode.workload().displayName() + " keeps failing: "
                + times(episode.count()) + ", restarted each time; last: " + latest(episode) + ".";
    }

    @Override
    public String recommendation(Episode episode) {
        return "Read the logs of its last run for why it exits (configuration, a dependency, a missing file); "
                + "restarting will not fix it.";
    }
}
