package io.tapio.correlate.patterns;

import io.tapio.correlate.process.Cause;
import io.tapio.correlate.process.Failure;
import io.tapio.correlate.process.Observation;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.Finding;
import io.tapio.model.Workload;
import io.tapio.model.types.Copyable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One pattern's state in one workload, for one subject: the recent occurrences, and the
 * episode they make once the pattern's rule holds. Kept in Flink keyed state (Java
 * serialization); mutable, used by one task.
 */
public final class Episode implements java.io.Serializable, Copyable<Episode> {
    @java.io.Serial
    private static final long serialVersionUID = 3L;

    /**
     * Occurrences remembered, at most: a busy workload's baseline may hold more (see
     * {@code usualLevel}), and a window's count stops there, far above any rule's.
     */
    static final int MAX_REMEMBERED = 512;

    static final int MAX_EVIDENCE = 10;

    /** Between two updates of an open episode, at most this long (unless its count doubles first). */
    static final long UPDATE_EVERY_MILLIS = 60_000;

    /**
     * An open episode's count that moved since its last report is reported once it has been
     * still this long, and at least twice as long as its occurrences' latest gap: when the burst
     * is over, not after every occurrence of a steady loop.
     */
    static final long SETTLE_MILLIS = 1_000;

    final String pattern;
    final String subject;
    final Occurrences occurrences;
    /** The latest occurrences' events as the kernel wrote them: rendered as text only when reported. */
    final Deque<Sighting> evidence;

    Workload workload;
    /** Since when the workload has been watched: a usual level needs that much history. */
    long since;

    long firstSeen;
    long lastSeen;
    /** Occurrences since the episode opened; 0 while it is not open. */
    long count;
    /** The cause of the latest occurrence that had one, and how many occurrences in a row had it. */
    Cause cause;

    int causeRuns;

    long openedAt;
    long reportedCount;
    long reportedAt;
    String reportedVerdict;
    /** Whether the latest report was the episode's first under its verdict (it opened, or escalated). */
    boolean newVerdict;
    /**
     * The event time of the timer last asked for to look at the episode again (to forget it, end
     * it or report its settled count); 0 when none is known (a checkpoint from before this field).
     */
    long timerAt;
    /**
     * Whether a sighting holds a lent event ({@link KernelEvent#lent()}), to be kept at the end
     * of its hand-over ({@link #keepLent}). Not part of a checkpoint: one holds none.
     */
    private transient boolean holdsLent;

    /** @param watchedSince event time since which the workload has been watched; 0: from its first occurrence */
    public Episode(String pattern, String subject, long watchedSince) {
        this.pattern = pattern;
        this.subject = subject;
        this.since = watchedSince;
        this.occurrences = new Occurrences();
        this.evidence = new ArrayDeque<>();
    }

    private Episode(Episode from) {
        this.pattern = from.pattern;
        this.subject = from.subject;
        this.occurrences = from.occurrences.copy();
        this.evidence = new ArrayDeque<>(from.evidence); // sightings are immutable
        this.workload = from.workload;
        this.since = from.since;
        this.firstSeen = from.firstSeen;
        this.lastSeen = from.lastSeen;
        this.count = from.count;
        this.cause = from.cause;
        this.causeRuns = from.causeRuns;
        this.openedAt = from.openedAt;
        this.reportedCount = from.reportedCount;
        this.reportedAt = from.reportedAt;
        this.reportedVerdict = from.reportedVerdict;
        this.newVerdict = from.newVerdict;
        this.timerAt = from.timerAt;
    }

    @Override
    public Episode copy() {
        return new Episode(this);
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

    /** What the latest occurrences with a cause met, or null when none had one. */
    public Cause cause() {
        return cause;
    }

    /** Whether every occurrence of the episode so far had the same cause. */
    public boolean sameCauseEveryTime() {
        return cause != null && causeRuns >= count;
    }

    /** Asked when the rule holds for an episode that is not open: whether it may open now. */
    @FunctionalInterface
    public interface MayOpen {
        boolean now() throws Exception;
    }

    /** An event behind an occurrence: when, and the event (immutable, so kept as it is rather than copied). */
    record Sighting(long epochMillis, KernelEvent event) implements java.io.Serializable {}

    /** Whether the evidence holds a lent event, which {@link #keepLent} must replace before its hand-over ends. */
    public boolean holdsLent() {
        return holdsLent;
    }

    /**
     * The end of a hand-over: the evidence keeps a copy of each lent event it still holds (at
     * most {@link #MAX_EVIDENCE}, where the sightings of a busy pattern were one per event).
     */
    public void keepLent() {
        if (holdsLent) {
            for (int i = evidence.size(); i > 0; i--) { // each in turn, the order kept
                Sighting sighting = evidence.removeFirst();
                KernelEvent event = sighting.event();
                evidence.addLast(event.lent() ? new Sighting(sighting.epochMillis(), event.kept()) : sighting);
            }
            holdsLent = false;
        }
    }

    /** The most recent evidence, oldest first. */
    public List<Finding.Evidence> evidence() {
        List<Finding.Evidence> rendered = new ArrayList<>(evidence.size());
        for (Sighting sighting : evidence) {
            rendered.add(Finding.Evidence.of(sighting.event(), sighting.epochMillis()));
        }
        return rendered;
    }

    /** The events of the most recent evidence, oldest first. */
    public List<KernelEvent> evidenceEvents() {
        return evidence.stream().map(Sighting::event).toList();
    }

    /**
     * Takes one of the pattern's occurrences.
     *
     * @param mayOpen asked when the rule holds for an episode that is not open: whether it may
     *     open now (not while another incident of the workload is about the same cause)
     * @return the report it calls for: OPEN when the rule now holds, UPDATE when an open
     *     episode has grown enough to tell again or escalates; null for none
     */
    public Finding.Status observe(Pattern pattern, Observation seen, MayOpen mayOpen) throws Exception {
        Rule rule = pattern.rule();
        long at = seen.epochMillis();
        workload = seen.workload();
        if (since == 0) {
            since = at;
        }
        if (tooClose(at, rule.minSpacing().toMillis())) {
            return null; // the same failure, as far as the workload goes
        }
        remember(at, rule.memoryMillis());
        for (int i = 0; i < seen.eventCount(); i++) {
            KernelEvent event = seen.eventAt(i);
            holdsLent |= event.lent();
            evidence.addLast(new Sighting(at, event));
            if (evidence.size() > MAX_EVIDENCE) {
                evidence.removeFirst();
            }
        }
        noteCause(seen instanceof Failure failure ? failure.cause() : null);
        lastSeen = Math.max(lastSeen, at);
        if (open()) {
            count++;
            String verdict = pattern.verdict(this).pattern();
            if (count >= 2 * reportedCount
                    || at - reportedAt >= UPDATE_EVERY_MILLIS
                    || !verdict.equals(reportedVerdict)) {
                reported(at, verdict);
                return Finding.Status.UPDATE;
            }
            return null;
        }
        long window = rule.window().toMillis();
        int inWindow = occurrencesWithin(at - window, at);
        if (inWindow < rule.occurrences()
                || at - oldestWithin(at - window) < rule.minSpan().toMillis()
                || rule.baselineFactor() > 0
                        && (at - since < window * rule.baselineWindows()
                                || inWindow < rule.baselineFactor() * usualLevel(rule, at))
                || !mayOpen.now()) {
            return null;
        }
        openedAt = at;
        firstSeen = oldestWithin(at - window);
        count = inWindow;
        reported(at, pattern.verdict(this).pattern());
        return Finding.Status.OPEN;
    }

    /**
     * At event time {@code now}: whether an open episode's count moved since its last report and
     * has been still long enough to report it (so that what a person reads last is the true count).
     */
    public boolean settled(long now) {
        return countMoved() && now >= settlesAt();
    }

    /** Whether an open episode has occurrences its last report did not count: it reports again once settled. */
    private boolean countMoved() {
        return open() && count > reportedCount;
    }

    /** When the episode's count will have been still long enough to report it: see {@link #SETTLE_MILLIS}. */
    private long settlesAt() {
        return lastSeen + Math.max(SETTLE_MILLIS, 2 * occurrences.latestGap());
    }

    /** Its count was reported at event time {@code now}. */
    public void settledReported(long now) {
        newVerdict = false;
        reportedCount = count;
        reportedAt = now;
    }

    /** An open episode with no occurrence for the rule's quiet period, at event time {@code now}, is over. */
    public boolean over(Pattern pattern, long now) {
        return open() && now >= overAt(pattern);
    }

    /** When an open episode will be over unless seen again: the rule's quiet period after its last occurrence. */
    private long overAt(Pattern pattern) {
        return lastSeen + pattern.rule().quiet().toMillis();
    }

    /**
     * When the episode next needs looking at, in event time: for one not open, when it may be
     * forgotten; for an open one, when it will be over, or sooner, when its moved count will have
     * settled.
     */
    public long nextLook(Pattern pattern) {
        if (!open()) {
            return forgottenAt(pattern);
        }
        return countMoved() ? Math.min(overAt(pattern), settlesAt()) : overAt(pattern);
    }

    /** A timer at event time {@code at} was asked for to look at the episode again. */
    public void timerAt(long at) {
        timerAt = at;
    }

    /**
     * Whether the timer the episode holds will look at it in time for {@code at}: it is known, it
     * is still to come (after {@code firedUpTo}, up to which timers have fired) and it comes no later.
     */
    public boolean holdsTimerFor(long at, long firedUpTo) {
        return timerAt != 0 && timerAt > firedUpTo && timerAt <= at;
    }

    /** Nothing recent enough to matter: the state can go. */
    public boolean forgettable(Pattern pattern, long now) {
        return !open() && now >= forgottenAt(pattern);
    }

    /** When an episode that has not opened may be forgotten unless seen again: the rule's memory after its last occurrence. */
    private long forgottenAt(Pattern pattern) {
        return lastSeen + pattern.rule().memoryMillis();
    }

    /** Identifies the episode across its reports: pattern, workload, subject, first time. */
    public String id() {
        return pattern + ":" + workload.key() + ":" + subject + ":" + openedAt;
    }

    /** Whether the latest report was the first under its verdict: the episode opened or escalated. */
    public boolean newVerdict() {
        return newVerdict;
    }

    private void reported(long at, String verdict) {
        newVerdict = !verdict.equals(reportedVerdict);
        reportedCount = count;
        reportedAt = at;
        reportedVerdict = verdict;
    }

    private void noteCause(Cause latest) {
        if (latest == null) {
            causeRuns = 0;
        } else {
            causeRuns = cause != null && cause.key().equals(latest.key()) ? causeRuns + 1 : 1;
            cause = latest;
        }
    }

    /**
     * The average count per window over the windows before the current one. A workload that
     * always waits often (a parallel build: five slow waits a second) has more occurrences in
     * its baseline than an episode remembers; the level is then their rate over the part of the
     * baseline still remembered, where counting the remembered ones over the whole baseline made
     * the level the lower the more often it waited, and its steady waiting "far more than usual".
     * With none of the baseline remembered, nothing can be told to be more than usual.
     */
    private double usualLevel(Rule rule, long at) {
        long window = rule.window().toMillis();
        long to = at - window;
        long from = Math.max(to - window * Math.max(1, rule.baselineWindows()), occurrences.truncatedUpTo());
        if (from >= to) {
            return Double.POSITIVE_INFINITY;
        }
        return (double) occurrencesWithin(from, to) * window / (to - from);
    }

    /** Whether an occurrence at {@code at} is within {@code spacing} of one already remembered. */
    private boolean tooClose(long at, long spacing) {
        if (spacing <= 0 || occurrences.isEmpty()) {
            return false;
        }
        return occurrences.anyCloserThan(at, spacing);
    }

    /**
     * Keeps {@code at} in time order: a helper's failure is known only when its parent's fate
     * is, after later events of the workload.
     */
    private void remember(long at, long memory) {
        occurrences.add(at);
        occurrences.forget(occurrences.newest() - memory, MAX_REMEMBERED);
    }

    /** The oldest occurrence after {@code fromExclusive}. */
    private long oldestWithin(long fromExclusive) {
        return occurrences.oldestAfter(fromExclusive);
    }

    int occurrencesWithin(long fromExclusive, long toInclusive) {
        return occurrences.countWithin(fromExclusive, toInclusive);
    }
}
