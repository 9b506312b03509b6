package io.tapio.correlate.patterns;

import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Severity;
import java.time.Duration;
import java.util.Set;

/**
 * A workload opens the same path again and again and fails the same way: a file that is
 * missing (the classic ConfigMap or Secret that was not mounted) or one it may not read.
 */
public final class FileAccessStormPattern extends BasePattern {
    public static final Rule DEFAULT = Rule.count(5, Duration.ofMinutes(1), Duration.ofMinutes(2));
    private static final int EPERM = 1;

    private final Set<Integer> errors;
    private final boolean missing;

    private FileAccessStormPattern(String name, Set<Integer> errors, boolean missing, Rule rule) {
        super(name, Severity.WARNING, rule);
        this.errors = errors;
        this.missing = missing;
    }

    /** Repeated ENOENT. */
    public static FileAccessStormPattern missingFile(Rule rule) {
        return new FileAccessStormPattern("missing_file", Set.of(OpenFailed.ENOENT), true, rule);
    }

    /** Repeated EACCES or EPERM. */
    public static FileAccessStormPattern permissionDenied(Rule rule) {
        return new FileAccessStormPattern("permission_denied", Set.of(OpenFailed.EACCES, EPERM), false, rule);
    }

    @Override
    public Role role(EnrichedEvent e) {
        return e.event().payload() instanceof OpenFailed open && errors.contains(open.error())
                ? Role.OCCURRENCE
                : Role.IGNORE;
    }

    /** The path. */
    @Override
    public String subject(EnrichedEvent e) {
        return e.event().payload(OpenFailed.class).path();
    }

    @Override
    public String summary(Episode episode) {
        return episode.workload().displayName()
                + (missing
                        ? " keeps looking for " + episode.subject() + ", which does not exist"
                        : " keeps being refused access to " + episode.subject())
                + " ("
                + episode.count() + " failed opens).";
    }

    @Override
    public String recommendation(Episode episode) {
        return missing
                ? "Mount or create " + episode.subject() + " (a ConfigMap or Secret volume that is not "
                        + "mounted, a wrong path in the configuration)."
                : "Fix the permissions of " + episode.subject() + " or the user the workload runs as "
                        + "(securityContext runAsUser, fsGroup).";
    }
}
