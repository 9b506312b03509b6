package io.tapio.correlate;

import io.tapio.correlate.patterns.Episode;
import io.tapio.correlate.patterns.Pattern;
import io.tapio.correlate.patterns.Role;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.types.JavaSerializer;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Every pattern's episodes in the key's workload, in Flink keyed state: each event goes
 * through every pattern, each report becomes a finding, and episodes end on event time when
 * the watermark passes their quiet period.
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
     * Event time of the first event of the key the correlator saw (of any type): how long the
     * workload has been watched, which is the history a usual level can be taken over. A
     * workload quiet for an hour starts again, so that departed workloads leave no state.
     */
    private final ValueState<Long> watchedSince;

    /** @param live whether event timestamps are this machine's clock now, so latency can be measured */
    Episodes(RuntimeContext context, List<Pattern> patterns, boolean live) {
        patterns.forEach(p -> this.patterns.put(p.name(), p));
        this.live = live;
        this.episodes = context.getMapState(
                new MapStateDescriptor<>("episodes", Types.STRING, JavaSerializer.typeOf(Episode.class)));
        ValueStateDescriptor<Long> watched = new ValueStateDescriptor<>("watched-since", Types.LONG);
        watched.enableTimeToLive(StateTtlConfig.newBuilder(WATCH_MEMORY)
                .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        this.watchedSince = context.getState(watched);
    }

    /** Runs a batch of the key's events through the patterns, oldest first. */
    void observe(List<TimedEvent> events, TimerService timers, Reports reports) throws Exception {
        if (events.size() > 1) {
            events.sort(Comparator.comparingLong(
                    TimedEvent::epochMillis)); // a batch of more than one is the batch's own list
        }
        Long first = watchedSince.value();
        long watched = first != null ? first : events.getFirst().epochMillis();
        if (first == null) {
            watchedSince.update(watched);
        }
        for (TimedEvent timed : events) {
            EnrichedEvent e = timed.event();
            for (Pattern pattern : patterns.values()) {
                Role role = pattern.role(e);
                if (role == Role.IGNORE) {
                    continue;
                }
                String key = pattern.name() + "|" + pattern.subject(e);
                Episode episode = episodes.get(key);
                if (episode == null) {
                    episode = new Episode(pattern.name(), pattern.subject(e), watched);
                }
                Finding.Status report = episode.observe(pattern, role, timed.epochMillis(), e.workload(), e.event());
                episodes.put(key, episode);
                timers.registerEventTimeTimer(
                        toSecond(timed.epochMillis() + pattern.rule().memoryMillis()));
                if (report != null) {
                    long latency = live ? System.nanoTime() - e.event().timestampNs() : 0;
                    reports.report(pattern, episode, report, latency);
                    timers.registerEventTimeTimer(
                            toSecond(episode.lastSeen() + pattern.rule().quiet().toMillis()));
                }
            }
        }
    }

    /** At event time {@code now}: closes the episodes that are over, forgets what is too old to matter. */
    void end(long now, TimerService timers, Reports reports) throws Exception {
        Iterator<Map.Entry<String, Episode>> all = episodes.iterator();
        while (all.hasNext()) {
            Episode episode = all.next().getValue();
            Pattern pattern = patterns.get(episode.pattern());
            if (episode.over(pattern, now)) {
                reports.report(pattern, episode, Finding.Status.RESOLVED, 0);
                all.remove();
            } else if (episode.forgettable(pattern, now)) {
                all.remove();
            } else if (episode.open()) {
                timers.registerEventTimeTimer(
                        toSecond(episode.lastSeen() + pattern.rule().quiet().toMillis()));
            }
        }
    }

    /**
     * Timers at the next whole second: a busy key then registers at most one per second and
     * rule, instead of one per event; ending an episode up to a second late is harmless.
     */
    private static long toSecond(long epochMillis) {
        return (epochMillis / 1000 + 1) * 1000;
    }
}
