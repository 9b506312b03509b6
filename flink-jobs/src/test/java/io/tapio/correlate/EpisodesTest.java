package io.tapio.correlate;

import static io.tapio.correlate.CorrelatorHarness.event;
import static io.tapio.correlate.CorrelatorHarness.harness;
import static io.tapio.correlate.CorrelatorHarness.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.correlate.patterns.CpuStarvationPattern;
import io.tapio.correlate.patterns.OomPattern;
import io.tapio.correlate.process.EventTimers;
import io.tapio.correlate.process.Observation;
import io.tapio.ebpf.abi.OomKill;
import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The timers the episodes ask for, counted as asked (Flink's timer set only shows the distinct
 * ones left): the key's workload state in Flink's operator harness, the timer service a
 * recording one.
 */
class EpisodesTest {
    private static final long T0 = 1_764_000_000_000L;
    private static final Episodes.Reports NO_REPORTS = (pattern, episode, status, latency) -> {};

    /**
     * A workload's threads wait long for a CPU once a second, too new a workload for a usual
     * level: its starvation episode only remembers them. The key's other timers end its episodes
     * every second; the episode's forget timer is asked for again only once the one it holds is due.
     */
    @Test
    void anEpisodeThatHasNotOpenedAsksForItsForgetTimerAgainOnlyWhenTheOneItHoldsIsDue() throws Exception {
        long memory = CpuStarvationPattern.DEFAULT.memoryMillis();
        try (var harness = harness(new Correlator(CorrelationConfig.defaults(), false))) {
            Episodes episodes = episodesOfWorkload1(harness);
            RecordingTimers timers = new RecordingTimers();
            long last = T0 + 59_000;
            for (long at = T0; at <= last; at += 1000) {
                EnrichedEvent e = event(1, at, new RunqLatency(50_000_000L));
                episodes.observe(List.of(new Observation.Seen(at, e.workload(), e.event())), timers, NO_REPORTS);
                if (at == T0) {
                    assertThat(timers.asked).as("the new episode's").contains(EventTimers.at(T0 + memory));
                }
                timers.asked.clear();
                episodes.end(at, timers, NO_REPORTS);
                assertThat(timers.asked)
                        .as("asked for by the end at %d s", (at - T0) / 1000)
                        .isEmpty();
            }

            long due = EventTimers.at(T0 + memory);
            episodes.end(due, timers, NO_REPORTS);
            assertThat(timers.asked)
                    .as("its timer is due, its memory after its last occurrence is not")
                    .containsExactly(EventTimers.at(last + memory));
        }
    }

    /**
     * A program is OOM-killed once a second for a minute: its episode opens at the first kill and
     * reports again as its count doubles, and its count moves between reports. The key's other
     * timers end its episodes every second; only the timer the episode holds, when due, asks for
     * another, one at a time. Then its timers alone fire, as Flink would fire them: it reports its
     * true count once settled, and is over its quiet period after the last kill.
     */
    @Test
    void anOpenEpisodeAsksForItsNextTimerOnlyWhenTheOneItHoldsIsDueAndStillSettlesAndEnds() throws Exception {
        long quiet = OomPattern.DEFAULT.quiet().toMillis();
        try (var harness = harness(new Correlator(CorrelationConfig.defaults(), false))) {
            Episodes episodes = episodesOfWorkload1(harness);
            RecordingTimers timers = new RecordingTimers();
            long[] now = new long[1];
            List<String> reported = new ArrayList<>();
            Episodes.Reports reports = (pattern, episode, status, latency) ->
                    reported.add(status + " " + episode.count() + " at " + (now[0] - T0) / 1000 + " s");
            long last = T0 + 59_000;
            for (long at = T0; at <= last; at += 1000) {
                now[0] = at;
                EnrichedEvent e = event(1, at, new OomKill(7, 7, "loader", 1, 1 << 30, 1 << 30, 1 << 30));
                episodes.observe(List.of(new Observation.Seen(at, e.workload(), e.event())), timers, reports);
                int before = timers.asked.size();
                boolean due = timers.asked.contains(at);
                episodes.end(at, timers, reports);
                assertThat(timers.asked.size() - before)
                        .as(
                                "timers asked for by the end at %d s (one the episode holds due: %s)",
                                (at - T0) / 1000, due)
                        .isLessThanOrEqualTo(due ? 1 : 0);
            }
            assertThat(reported)
                    .as("opened at the first kill, a crash loop at the third, reported again as its count doubled")
                    .containsExactly(
                            "OPEN 1 at 0 s",
                            "UPDATE 2 at 1 s",
                            "UPDATE 3 at 2 s",
                            "UPDATE 6 at 5 s",
                            "UPDATE 12 at 11 s",
                            "UPDATE 24 at 23 s",
                            "UPDATE 48 at 47 s");
            assertThat(timers.asked.size())
                    .as("timers asked for in the minute: fewer than one a second")
                    .isLessThan(30);

            reported.clear();
            TreeSet<Long> pending = new TreeSet<>(timers.asked);
            pending.headSet(last, true).clear();
            for (Long at; (at = pending.pollFirst()) != null; ) {
                now[0] = at;
                int before = timers.asked.size();
                episodes.end(at, timers, reports);
                pending.addAll(timers.asked.subList(before, timers.asked.size()));
            }
            assertThat(reported)
                    .as("its true count once settled, then over its quiet period after the last kill")
                    .containsExactly(
                            "UPDATE 60 at 62 s", "RESOLVED 60 at " + (EventTimers.at(last + quiet) - T0) / 1000 + " s");
        }
    }

    /** The default patterns' episodes in the harness's keyed state, under workload 1's key. */
    private static Episodes episodesOfWorkload1(
            KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness) throws Exception {
        harness.open();
        harness.getOperator().setCurrentKey(key(1));
        return new Episodes(
                harness.getOperator().getRuntimeContext(),
                CorrelationConfig.defaults().patterns(),
                false);
    }

    /** Event-time timers as asked for, in order. */
    private static final class RecordingTimers implements TimerService {
        final List<Long> asked = new ArrayList<>();

        @Override
        public void registerEventTimeTimer(long time) {
            asked.add(time);
        }

        @Override
        public long currentProcessingTime() {
            return 0;
        }

        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            throw new UnsupportedOperationException("the episodes run on event time");
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            throw new UnsupportedOperationException("the episodes run on event time");
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            throw new UnsupportedOperationException("the episodes delete no timer");
        }
    }
}
