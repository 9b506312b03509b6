package io.tapio.correlate;

import io.tapio.correlate.patterns.Episode;
import io.tapio.correlate.patterns.Pattern;
import io.tapio.correlate.process.EventTimers;
import io.tapio.correlate.process.Observation;
import io.tapio.model.Finding;
import io.tapio.model.types.JavaSerializer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Every pattern's episodes in the key's workload, in Flink keyed state: each observation goes
 * through every pattern, each report becomes a finding, and episodes end on event time when
 * the watermark passes their quiet period. An episode does not open while another of the
 * workload about the same root cause is open: one cause, one incident.
 */
final class Episodes {
    /** What a report is made into: the pattern, the episode, the report, and its latency (0: unknown). */
    interface Reports {
        void report(Pattern pattern, Episode episode, Finding.Status status, long latencyNanos);
    }

    private final Map<String, Pattern> patterns = new LinkedHashMap<>();
    /** The patterns in order, each observation's loop, and per pattern the subject it last saw and its episode's key. */
    private final Pattern[] ordered;

    private final String[] lastSubject;
    private final String[] lastKey;
    /**
     * The event-time timer last registered in this call for the key: a batch's observations mostly
     * ask for the same whole second, and each registration costs a timer object and a lookup.
     */
    private long lastTimer;

    private final boolean live;
    private final MapState<String, Episode> episodes;
    /** Since when the workload has been watched (events of any type): the history a usual level can be taken over. */
    private final WorkloadWatch watch;
    /** Asked by the episode each observation goes to: pointed at it, rather than a lambda made for each. */
    private final MayOpenNow mayOpen = new MayOpenNow();
    /** The episodes whose evidence took a lent event in the hand-over under way ({@link #keepLent}). */
    private final List<Episode> holdingLent = new ArrayList<>();

    /** @param live whether event timestamps are this machine's clock now, so latency can be measured */
    Episodes(RuntimeContext context, List<Pattern> patterns, boolean live) {
        patterns.forEach(p -> this.patterns.put(p.name(), p));
        this.ordered = patterns.toArray(Pattern[]::new);
        this.lastSubject = new String[ordered.length];
        this.lastKey = new String[ordered.length];
        this.live = live;
        this.episodes = context.getMapState(
                new MapStateDescriptor<>("episodes", Types.STRING, JavaSerializer.typeOf(Episode.class)));
        this.watch = new WorkloadWatch(context);
    }

    /** Runs the key's observations through the patterns, in the order given (oldest first). */
    void observe(List<? extends Observation> observations, TimerService timers, Reports reports) throws Exception {
        long watched = begin(
                observations.getFirst().epochMillis(), observations.getLast().epochMillis(), timers);
        for (int o = 0; o < observations.size(); o++) {
            observe(observations.get(o), watched, timers, reports);
        }
    }

    /**
     * Begins a hand-over of the key's observations, from {@code first} to {@code last} (event
     * time), which then go through {@link #observe(Observation, long, TimerService, Reports)} one
     * at a time, in order.
     *
     * @return since when the workload has been watched, for each of them
     */
    long begin(long first, long last, TimerService timers) throws Exception {
        lastTimer = Long.MIN_VALUE;
        return watch.since(first, last, timers);
    }

    /** Runs one observation of a hand-over {@link #begin} began through the patterns. */
    void observe(Observation observation, long watched, TimerService timers, Reports reports) throws Exception {
        for (int p = 0; p < ordered.length; p++) {
            Pattern pattern = ordered[p];
            if (pattern.matches(observation)) {
                observe(p, observation, watched, timers, reports);
            } else if (pattern.clears(observation)) {
                forgetUnopened(pattern);
            }
        }
    }

    private void observe(int p, Observation observation, long watched, TimerService timers, Reports reports)
            throws Exception {
        Pattern pattern = ordered[p];
        String subject = pattern.subject(observation);
        if (lastKey[p] == null || !Objects.equals(subject, lastSubject[p])) {
            lastSubject[p] = subject;
            lastKey[p] = pattern.name() + "|" + subject;
        }
        String key = lastKey[p];
        Episode found = episodes.get(key);
        Episode episode = found != null ? found : new Episode(pattern.name(), subject, watched);
        boolean heldLent = episode.holdsLent();
        Finding.Status report = episode.observe(pattern, observation, mayOpen.of(pattern, episode, key));
        if (!heldLent && episode.holdsLent()) {
            holdingLent.add(episode);
        }
        if (report != null) {
            long latency = live ? System.nanoTime() - observation.latestEvent().timestampNs() : 0;
            reports.report(pattern, episode, report, latency);
        }
        lookAgain(timers, pattern, episode, timers.currentWatermark());
        episodes.put(key, episode);
    }

    /**
     * The end of a hand-over: every episode whose evidence took a lent event keeps a copy of it
     * (a sighting outlasts its hand-over, in the episode's state).
     */
    void keepLent() {
        for (int i = 0; i < holdingLent.size(); i++) {
            holdingLent.get(i).keepLent();
        }
        holdingLent.clear();
    }

    /**
     * Asks for the timer at which the episode next needs looking at ({@link Episode#nextLook}),
     * unless the one it holds is still to come and comes no later; {@link #end} asks again when that
     * one is due. One timer an episode at a time, rather than one per batch that sees it or one at
     * every end of the key (any of its timers): Flink keeps its timers in a set, and a registration,
     * even of a timer it has, costs a timer object and a lookup (6% of the task's time replaying a
     * capture as fast as it could), and each occurrence that moved the episode's time on left
     * another timer behind, another end of the key.
     *
     * @param firedUpTo the event time up to which the key's timers have fired
     * @return whether it asked (the episode changed)
     */
    private boolean lookAgain(TimerService timers, Pattern pattern, Episode episode, long firedUpTo) {
        long at = EventTimers.at(episode.nextLook(pattern));
        if (episode.holdsTimerFor(at, firedUpTo)) {
            return false;
        }
        timer(timers, at);
        episode.timerAt(at);
        return true;
    }

    /** Registers the key's event-time timer at {@code at}, unless this call just did. */
    private void timer(TimerService timers, long at) {
        if (at != lastTimer) {
            timers.registerEventTimeTimer(at);
            lastTimer = at;
        }
    }

    /** Forgets the occurrences of the pattern's episodes that have not opened. */
    private void forgetUnopened(Pattern pattern) throws Exception {
        Iterator<Episode> all = episodes.values().iterator();
        while (all.hasNext()) {
            Episode episode = all.next();
            if (episode.pattern().equals(pattern.name()) && !episode.open()) {
                all.remove();
            }
        }
    }

    /** Whether the episode an observation went to may open now: not while another incident of the workload is about its cause. */
    private final class MayOpenNow implements Episode.MayOpen {
        private Pattern pattern;
        private Episode episode;
        private String key;

        MayOpenNow of(Pattern pattern, Episode episode, String key) {
            this.pattern = pattern;
            this.episode = episode;
            this.key = key;
            return this;
        }

        @Override
        public boolean now() throws Exception {
            return !anotherIncidentOfItsCause(pattern, episode, key);
        }
    }

    /** Whether another open episode of the workload is about the same cause as {@code episode}. */
    private boolean anotherIncidentOfItsCause(Pattern pattern, Episode episode, String key) throws Exception {
        String cause = pattern.causeKey(episode);
        if (cause == null) {
            return false;
        }
        for (Map.Entry<String, Episode> other : episodes.entries()) {
            Episode candidate = other.getValue();
            if (!other.getKey().equals(key)
                    && candidate.open()
                    && Objects.equals(cause, patterns.get(candidate.pattern()).causeKey(candidate))) {
                return true;
            }
        }
        return false;
    }

    /** At a sweep of the key at event time {@code now}: forgets the watch of a workload gone quiet. */
    void sweep(long now, TimerService timers) throws Exception {
        watch.sweep(now, timers);
    }

    /**
     * At event time {@code now}: closes the episodes that are over, reports the true count of
     * those whose count moved since they last reported, forgets what is too old to matter.
     */
    void end(long now, TimerService timers, Reports reports) throws Exception {
        lastTimer = Long.MIN_VALUE;
        Iterator<Map.Entry<String, Episode>> all = episodes.iterator();
        while (all.hasNext()) {
            Map.Entry<String, Episode> entry = all.next();
            Episode episode = entry.getValue();
            Pattern pattern = patterns.get(episode.pattern());
            if (episode.over(pattern, now)) {
                reports.report(pattern, episode, Finding.Status.RESOLVED, 0);
                all.remove();
            } else if (episode.forgettable(pattern, now)) {
                all.remove();
            } else {
                boolean changed = false;
                if (episode.settled(now)) {
                    episode.settledReported(now);
                    reports.report(pattern, episode, Finding.Status.UPDATE, 0);
                    changed = true;
                }
                if (lookAgain(timers, pattern, episode, now) || changed) {
                    entry.setValue(episode);
                }
            }
        }
        if (episodes.isEmpty()) {
            episodes.clear(); // an empty map is still an entry of the key's state
        }
    }
}
