package io.tapio.correlate.patterns;

import io.tapio.correlate.process.Cause;
import io.tapio.correlate.process.Failure;
import io.tapio.correlate.process.Observation;
import io.tapio.model.Severity;
import java.time.Duration;

/**
 * A workload's helpers keep failing on the same missing or forbidden file: a script whose
 * commands fail because a file it needs was never mounted, or that it may not read. Each
 * occurrence is a run that ended in failure just after failing to open the path.
 *
 * <p>Deliberately not raised: failed opens on their own, however many (programs probe optional
 * files all the time, and a running program re-reads an optional file at every request, as an
 * HTTP client does its ~/.netrc); a helper that failed to open a file and went on, or exited 0;
 * failures that pass within {@code minSpan} (a script waiting for a file that then comes); the
 * main process failing (that is a crash loop, with this as its cause).
 */
public final class FailureCausePattern extends BasePattern {
    public static final Rule DEFAULT = Rule.count(3, Duration.ofMinutes(5), Duration.ofMinutes(5))
            .withMinSpacing(Duration.ofMillis(500))
            .lasting(Duration.ofSeconds(30));

    private final Cause.Kind kind;

    private FailureCausePattern(Cause.Kind kind, Rule rule) {
        super(kind.pattern(), Severity.WARNING, rule);
        this.kind = kind;
    }

    /** Runs failing on a file that does not exist (ENOENT). */
    public static FailureCausePattern missingFile(Rule rule) {
        return new FailureCausePattern(Cause.Kind.MISSING_FILE, rule);
    }

    /** Runs failing on a file they may not open (EACCES, EPERM). */
    public static FailureCausePattern permissionDenied(Rule rule) {
        return new FailureCausePattern(Cause.Kind.PERMISSION_DENIED, rule);
    }

    @Override
    public boolean matches(Observation o) {
        return o instanceof Failure failure
                && !failure.main()
                && failure.cause() != null
                && failure.cause().kind() == kind;
    }

    /** The path. */
    @Override
    public String subject(Observation o) {
        return ((Failure) o).cause().subject();
    }

    @Override
    public String causeKey(Episode episode) {
        return Cause.key(name(), episode.subject());
    }

    @Override
    public String summary(Episode episode) {
        return episode.workload().displayName() + " keeps failing because "
                + (kind == Cause.Kind.MISSING_FILE
                        ? episode.subject() + " does not exist"
                        : "it may not open " + episode.subject())
                + ": " + episode.count() + " runs failed just after opening it, over " + span(episode)
                + " (last: " + lastProcess(episode) + ", " + latest(episode) + ").";
    }

    @Override
    public String recommendation(Episode episode) {
        return fix(kind, episode.subject());
    }

    /** What to do about a cause, in one place for every pattern that names one. */
    static String fix(Cause.Kind kind, String subject) {
        return switch (kind) {
            case MISSING_FILE ->
                "Mount or create " + subject + " (a ConfigMap or Secret volume that is not mounted, a wrong path "
                        + "in the configuration).";
            case PERMISSION_DENIED ->
                "Fix the permissions of " + subject + " or the user the workload runs as (securityContext "
                        + "runAsUser, fsGroup).";
            case UNREACHABLE ->
                "Check that the service at " + subject + " runs and listens, its Service and endpoints, and "
                        + "network policies between the two.";
        };
    }
}
