package io.tapio.correlate.patterns;

import io.tapio.model.Severity;
import java.io.Serial;
import java.io.Serializable;

/**
 * What a report says an episode is: the name findings and metrics carry, and how bad it is. A
 * pattern's episode can escalate, e.g. from {@code oom_kill} to {@code oom_crash_loop}.
 */
public record Verdict(String pattern, Severity severity) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
