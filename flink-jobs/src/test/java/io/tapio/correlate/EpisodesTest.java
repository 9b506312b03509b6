package io.tapio.correlate;

import static io.tapio.correlate.CorrelatorHarness.event;
import static io.tapio.correlate.CorrelatorHarness.harness;
import static io.tapio.correlate.CorrelatorHarness.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.correlate.patterns.CpuStarvationPattern;
import io.tapio.correlate.process.EventTimers;
import io.tapio.correlate.process.Observation;
import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.model.EnrichedEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.TimerService;
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
            harness.open();
            harness.getOperator().setCurrentKey(key(1));
            Episodes episodes = new Episodes(
                    harness.getOperator().getRuntimeContext(),
                    CorrelationConfig.defaults().patterns(),
                    false);
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
