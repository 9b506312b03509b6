package io.tapio.correlate.patterns;

import io.tapio.correlate.process.Cause;
import io.tapio.correlate.process.Failure;
import io.tapio.correlate.process.Observation;
import io.tapio.model.Severity;
import java.time.Duration;

/**
 * A workload's program keeps failing: its main process fails and is started again (what
 * Kubernetes shows as CrashLoopBackOff), or some process of it keeps crashing. When each run
 * fails just after a failed open or connect, that is the incident's cause, told in its summary
 * and its recommendation; the failed opens and connects are its evidence, not incidents of
 * their own.
 *
 * <p>Deliberately not raised: a helper's non-zero exit status ({@code grep}, {@code test},
 * {@code readlink} in a script), unless it has a cause and lasts (see {@link FailureCausePattern})
 * or makes the main process fail; exits by SIGKILL (the OOM and killed-by patterns tell those)
 * or by SIGTERM and other stops; several processes failing within {@code minSpacing} (one
 * failure of the workload).
 */
public final class CrashLoopPattern extends BasePattern {
    public static final Rule DEFAULT =
            Rule.count(3, Duration.ofMinutes(5), Duration.ofMinutes(10)).withMinSpacing(Duration.ofMillis(500));

    public CrashLoopPattern(Rule rule) {
        super("crash_loop", Severity.WARNING, rule);
    }

    @Override
    public boolean matches(Observation o) {
        return o instanceof Failure failure && (failure.main() || failure.crashed());
    }

    /** The program that failed. */
    @Override
    public String subject(Observation o) {
        return ((Failure) o).program();
    }

    @Override
    public String causeKey(Episode episode) {
        return episode.cause() == null ? null : episode.cause().key();
    }

    @Override
    public String summary(Episode episode) {
        String cause = episode.cause() == null
                ? ""
                : episode.sameCauseEveryTime()
                        ? "; each run met \"" + episode.cause().describe() + "\" just before it ended"
                        : "; the last run to tell met \"" + episode.cause().describe() + "\" just before it ended";
        return episode.subject() + " in " + episode.workload().displayName() + " keeps failing ("
                + times(episode.count()) + " in " + span(episode) + "; last: " + latest(episode) + ")" + cause + ".";
    }

    @Override
    public String recommendation(Episode episode) {
        Cause cause = episode.cause();
        if (cause == null) {
            return "Read the logs of its last run for why it exits (configuration, a dependency, a bug); "
                    + "restarting will not fix it.";
        }
        return FailureCausePattern.fix(cause.kind(), cause.subject()) + " Restarting will not fix it.";
    }
}
