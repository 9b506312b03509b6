package io.tapio.correlate;

import io.tapio.correlate.patterns.Episode;
import io.tapio.correlate.patterns.Pattern;
import io.tapio.correlate.process.EventTimers;
import io.tapio.correlate.process.Observation;
import io.tapio.model.Finding;
import io.tapio.model.types.JavaSerializer;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Every pattern's episodes in the key's workload, in Flink keyed state: each observation goes
 * through every pattern, each report becomes a finding, and episodes end on event time when
 * the watermark passes their quiet period. An episode does not open while another of the
 * workload about the same root cause is open: one cause, one incident.
 */
final class Episodes {
    /** How long a workload without events is still remembered as watched. */
    static final Duration WATCH_MEMORY = Duration.ofHours(1);

    /** What a report is made into: the pattern, the episode, the report, and its latency (0: unknown). */
    interface Reports {
        void report(Pattern pattern, Episode episode, Finding.Status status, long latencyNanos);
    }

    private final Map<String, Pattern> patterns = new LinkedHashMap<>();
    private final boolean live;
    private final MapState<String, Episode> episodes;
    /**
     * Event times of the first and the latest event of the key the correlator saw (of any type):
     * how long the workload has been watched, which is the history a usual level can be taken
     * over. A workload quiet for {@link #WATCH_MEMORY} starts again, and its sweep forgets it, so
     * that departed workloads leave no state.
     */
    private final ValueState<Watch> watch;

    /** Event times of the first and the latest event of a watched workload. */
    record Watch(long since, long last) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        long forgottenAt() {
            return last + WATCH_MEMORY.toMillis();
        }
    }

    /** @param live whether event timestamps are this machine's clock now, so latency can be measured */
    Episodes(RuntimeContext context, List<Pattern> patterns, boolean live) {
        patterns.forEach(p -> this.patterns.put(p.name(), p));
        this.live = live;
        this.episodes = context.getMapState(
                new MapStateDescriptor<>("episodes", Types.STRING, JavaSerializer.typeOf(Episode.class)));
        this.watch = context.getState(new ValueStateDescriptor<>("watch", JavaSerializer.typeOfImmutable(Watch.class)));
    }

    /** Runs the key's observations through the patterns, in the order given (oldest first). */
    void observe(List<Observation> observations, TimerService timers, Reports reports) throws Exception {
        long from = observations.getFirst().epochMillis();
        Watch known = watch.value();
        long watched = known != null && known.forgottenAt() > from ? known.since() : from;
        if (known == null) {
            timers.registerEventTimeTimer(EventTimers.sweepAfter(from + WATCH_MEMORY.toMillis()));
        }
        watch.update(
                new Watch(watched, Math.max(observations.getLast().epochMillis(), known == null ? 0 : known.last())));
        for (Observation observation : observations) {
            for (Pattern pattern : patterns.values()) {
                if (pattern.matches(observation)) {
                    observe(pattern, observation, watched, timers, reports);
                } else if (pattern.clears(observation)) {
                    forgetUnopened(pattern);
                }
            }
        }
    }

    private void observe(Pattern pattern, Observation observation, long watched, TimerService timers, Reports reports)
            throws Exception {
        String subject = pattern.subject(observation);
        String key = pattern.name() + "|" + subject;
        Episode found = episodes.get(key);
        Episode episode = found != null ? found : new Episode(pattern.name(), subject, watched);
        Finding.Status report =
                episode.observe(pattern, observation, () -> !anotherIncidentOfItsCause(pattern, episode, key));
        episodes.put(key, episode);
        long at = observation.epochMillis();
        timers.registerEventTimeTimer(EventTimers.at(at + pattern.rule().memoryMillis()));
        if (report != null) {
            long latency =
                    live ? System.nanoTime() - observation.events().getLast().timestampNs() : 0;
            reports.report(pattern, episode, report, latency);
            timers.registerEventTimeTimer(
                    EventTimers.at(episode.lastSeen() + pattern.rule().quiet().toMillis()));
        } else if (episode.open()) {
            timers.registerEventTimeTimer(EventTimers.at(episode.settlesAt()));
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

    /**
     * At event time {@code now} (a sweep): forgets the workload when it has been quiet for
     * {@link #WATCH_MEMORY}.
     *
     * @return when the workload is forgotten if it stays quiet; {@link Long#MAX_VALUE} when it is forgotten now
     */
    long sweep(long now) throws Exception {
        Watch known = watch.value();
        if (known == null || known.forgottenAt() <= now) {
            watch.clear();
            return Long.MAX_VALUE;
        }
        return known.forgottenAt();
    }

    /**
     * At event time {@code now}: closes the episodes that are over, reports the true count of
     * those whose count moved since they last reported, forgets what is too old to matter.
     */
    void end(long now, TimerService timers, Reports reports) throws Exception {
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
            } else if (episode.open()) {
                if (episode.settled(now)) {
                    episode.settledReported(now);
                    reports.report(pattern, episode, Finding.Status.UPDATE, 0);
                    entry.setValue(episode);
                }
                timers.registerEventTimeTimer(EventTimers.at(
                        episode.lastSeen() + pattern.rule().quiet().toMillis()));
            }
        }
        if (episodes.isEmpty()) {
            episodes.clear(); // an empty map is still an entry of the key's state
        }
    }
}
