package io.tapio.correlate.patterns;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.Finding;
import io.tapio.model.Workload;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One pattern's state in one workload, for one subject: the recent occurrences and
 * restarts, and the episode they make once the pattern's rule holds. Kept in Flink keyed
 * state ({@link EpisodeSerializer}); mutable, used by one task.
 */
public final class Episode implements java.io.Serializable {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** Occurrences remembered, at most; enough for any rule's window and baseline. */
    static final int MAX_REMEMBERED = 512;

    static final int MAX_EVIDENCE = 10;

    final String pattern;
    final String subject;
    final Deque<Long> occurrences;
    final Deque<Long> restarts;
    /** The latest occurrences as the kernel wrote them: rendered as text only when reported. */
    final Deque<Sighting> evidence;

    Workload workload;
    /** Since when the workload has been watched: a usual level needs that much history. */
    long since;

    long firstSeen;
    long lastSeen;
    /** Occurrences since the episode opened; 0 while it is not open. */
    long count;

    long openedAt;
    long reportedCount;
    long reportedAt;

    /** @param watchedSince event time since which the workload has been watched; 0: from its first occurrence */
    public Episode(String pattern, String subject, long watchedSince) {
        this(pattern, subject, new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>());
        this.since = watchedSince;
    }

    Episode(String pattern, String subject, Deque<Long> occurrences, Deque<Long> restarts, Deque<Sighting> evidence) {
        this.pattern = pattern;
        this.subject = subject;
        this.occurrences = occurrences;
        this.restarts = restarts;
        this.evidence = evidence;
    }

    /** The name of the pattern whose episode this is. */
    public String pattern() {
        return pattern;
    }

    public String subject() {
        return subject;
    }

    public Workload workload() {
        return workload;
    }

    public long count() {
        return count;
    }

    public long firstSeen() {
        return firstSeen;
    }

    public long lastSeen() {
        return lastSeen;
    }

    public boolean open() {
        return openedAt > 0;
    }

    /** An occurrence: when, and the event (immutable, so kept as it is rather than copied). */
    record Sighting(long epochMillis, KernelEvent event) implements java.io.Serializable {}

    /** The most recent evidence, oldest first. */
    public List<Finding.Evidence> evidence() {
        List<Finding.Evidence> rendered = new ArrayList<>(evidence.size());
        for (Sighting sighting : evidence) {
            rendered.add(Finding.Evidence.of(sighting.event(), sighting.epochMillis()));
        }
        return rendered;
    }

    /** Between two updates of an open episode, at most this long (unless its count doubles first). */
    static final long UPDATE_EVERY_MILLIS = 60_000;

    /**
     * Takes one event the pattern cares about, at event time {@code at} (epoch millis).
     *
     * @return the report it calls for: OPEN when the rule now holds, UPDATE when an open
     *     episode has grown enough to tell again; null for none
     */
    public Finding.Status observe(Pattern pattern, Role role, long at, Workload from, KernelEvent seen) {
        Rule rule = pattern.rule();
        long memory = rule.memoryMillis();
        workload = from;
        if (since == 0) {
            since = at;
        }
        long spacing = rule.minSpacing().toMillis();
        if (role == Role.RESTART) {
            if (restarts.isEmpty() || at - restarts.getLast() >= spacing) {
                remember(restarts, at, memory);
            }
            return null;
        }
        if (spacing > 0 && !occurrences.isEmpty() && at - occurrences.getLast() < spacing) {
            return null; // the same attempt, as far as a loop goes
        }
        remember(occurrences, at, memory);
        evidence.addLast(new Sighting(at, seen));
        if (evidence.size() > MAX_EVIDENCE) {
            evidence.removeFirst();
        }
        lastSeen = Math.max(lastSeen, at);
        if (open()) {
            count++;
            if (count >= 2 * reportedCount || at - reportedAt >= UPDATE_EVERY_MILLIS) {
                reportedCount = count;
                reportedAt = at;
                return Finding.Status.UPDATE;
            }
            return null;
        }
        long window = rule.window().toMillis();
        int inWindow = occurrencesWithin(at - window, at);
        int restartsInWindow = restartsWithin(window, at);
        if (inWindow < rule.occurrences()
                || rule.restartsBetween()
                        && (restartsInWindow < rule.occurrences() - 1
                                || inWindow < Rule.LOOP_FAILURE_SHARE * restartsInWindow)
                || rule.baselineFactor() > 0
                        && (at - since < window * rule.baselineWindows()
                                || inWindow < rule.baselineFactor() * usualLevel(rule, at))) {
            return null;
        }
        openedAt = at;
        firstSeen = occurrences.stream()
                .filter(t -> t > at - window)
                .min(Long::compare)
                .orElse(at);
        count = inWindow;
        reportedCount = count;
        reportedAt = at;
        return Finding.Status.OPEN;
    }

    /** An open episode with no occurrence for the rule's quiet period, at event time {@code now}, is over. */
    public boolean over(Pattern pattern, long now) {
        return open() && now - lastSeen >= pattern.rule().quiet().toMillis();
    }

    /** Nothing recent enough to matter: the state can go. */
    public boolean forgettable(Pattern pattern, long now) {
        long newest = Math.max(lastSeen, restarts.isEmpty() ? 0 : restarts.getLast());
        return !open() && now - newest >= pattern.rule().memoryMillis();
    }

    /** The average count per window over the windows before the current one. */
    private double usualLevel(Rule rule, long at) {
        long window = rule.window().toMillis();
        return (double) occurrencesWithin(at - window * (rule.baselineWindows() + 1), at - window)
                / Math.max(1, rule.baselineWindows());
    }

    private static void remember(Deque<Long> times, long at, long memory) {
        times.addLast(at);
        while (times.size() > MAX_REMEMBERED || times.getFirst() <= at - memory) {
            times.removeFirst();
        }
    }

    /** Restarts recorded within the window before {@code now}. */
    int restartsWithin(long windowMillis, long now) {
        return (int) restarts.stream().filter(t -> t > now - windowMillis).count();
    }

    int occurrencesWithin(long fromExclusive, long toInclusive) {
        return (int) occurrences.stream()
                .filter(t -> t > fromExclusive && t <= toInclusive)
                .count();
    }

    /** Identifies the episode across its reports: pattern, workload, subject, first time. */
    public String id() {
        return pattern + ":" + workload.key() + ":" + subject + ":" + openedAt;
    }
}
