package io.tapio.correlate.patterns;

import io.tapio.model.Finding;
import io.tapio.model.Severity;
import java.io.Serial;
import java.time.Duration;
import java.util.List;

/** What every pattern has: its name, severity and rule. */
abstract class BasePattern implements Pattern {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;
    private final Severity severity;
    private final Rule rule;

    BasePattern(String name, Severity severity, Rule rule) {
        this.name = name;
        this.severity = severity;
        this.rule = rule;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Severity severity() {
        return severity;
    }

    @Override
    public Rule rule() {
        return rule;
    }

    /** What the newest evidence says, for a summary. */
    static String latest(Episode episode) {
        List<Finding.Evidence> evidence = episode.evidence();
        return evidence.isEmpty() ? "" : evidence.getLast().description();
    }

    /** The process of the newest evidence, as {@code comm (pid N)}: who in the workload it was. */
    static String lastProcess(Episode episode) {
        List<Finding.Evidence> evidence = episode.evidence();
        return evidence.isEmpty()
                ? ""
                : evidence.getLast().comm() + " (pid " + evidence.getLast().pid() + ")";
    }

    static String times(long count) {
        return count == 1 ? "once" : count + " times";
    }

    /** How long the episode has lasted so far, as a person says it: {@code 40 s}, {@code 6 min}. */
    static String span(Episode episode) {
        Duration lasted = Duration.ofMillis(Math.max(0, episode.lastSeen() - episode.firstSeen()));
        if (lasted.toMinutes() >= 2) {
            return lasted.toMinutes() + " min";
        }
        return Math.max(1, lasted.toSeconds()) + " s";
    }

    @Override
    public String toString() {
        return name + " " + rule;
    }
}
