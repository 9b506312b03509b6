package io.tapio.correlate;

import io.tapio.ebpf.batch.AdaptiveBatchSize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * The key's events waiting to be correlated together, in Flink keyed state: they wait until the
 * batch is full, or until the task has handed over the records the source read with them,
 * whichever comes first. That end is a processing-time timer due at once: Flink runs it in the
 * task's mailbox after the records in hand, so a partial batch waits for the rest of its burst,
 * never for a clock (a 1 ms flush timer held the last events of every burst for a millisecond).
 * The batch size is the operator's, and moves between its bounds so that batching itself adds
 * no more than the latency target: doubled when a batch filled within half the target
 * (counting, for a batch of one, from the key's previous event), halved when one took longer
 * to fill or its burst ended first. A busy key fills its batches at once and gets large ones,
 * which is when batching pays; a quiet key gets batches of one, which do not wait. Latency that
 * builds up before the correlator (queueing under load) does not shrink the batches: smaller
 * ones would only make catching up slower.
 */
final class KeyedBatch {
    private static final int KEYS_TIMED = 4096;

    private final AdaptiveBatchSize size;
    private final ListState<TimedEvent> waiting;
    private final ValueState<Integer> waitingCount;
    /**
     * Per key, when its first waiting event arrived, or with none waiting its last event
     * (System.nanoTime): this JVM's clock, so not checkpointed, and held for the most recent
     * {@link #KEYS_TIMED} keys. A key not among them counts as one whose fill time is unknown.
     * (As keyed state with a time-to-live, which departed workloads needed, it was the largest
     * part of the job's allocation per event: Flink's heap backend wraps each value and makes an
     * iterator at each access for its incremental cleanup.)
     */
    private final Map<String, long[]> since = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > KEYS_TIMED;
        }
    };

    KeyedBatch(RuntimeContext context, AdaptiveBatchSize.Settings settings) {
        this.size = new AdaptiveBatchSize(settings);
        this.waiting = context.getListState(new ListStateDescriptor<>("waiting", TimedEvent.TYPE));
        this.waitingCount = context.getState(new ValueStateDescriptor<>("waiting-count", Types.INT));
    }

    AdaptiveBatchSize size() {
        return size;
    }

    /**
     * Adds the key's next event.
     *
     * @return the batch to correlate now, oldest first once sorted; empty while the batch waits
     */
    List<TimedEvent> add(String key, TimedEvent timed, TimerService timers) throws Exception {
        long now = System.nanoTime();
        Integer waitingBefore = waitingCount.value();
        int count = waitingBefore == null ? 1 : waitingBefore + 1;
        long[] keySince = since.computeIfAbsent(key, k -> new long[] {Long.MAX_VALUE});
        long from = keySince[0];
        if (count < size.size()) {
            waiting.add(timed);
            waitingCount.update(count);
            if (count == 1) {
                keySince[0] = now;
                // In the past, so due at once (a timer for now would wait a millisecond more).
                timers.registerProcessingTimeTimer(timers.currentProcessingTime() - 1);
            }
            return List.of();
        }
        // The batch is full; a key seen first has no fill time.
        long filledIn = from > now ? Long.MAX_VALUE : now - from;
        size.filled(filledIn);
        keySince[0] = now;
        if (waitingBefore == null) {
            return List.of(timed); // a batch of one: no need to go through the waiting list
        }
        List<TimedEvent> events = takeWaiting();
        events.add(timed);
        return events;
    }

    /**
     * At a processing-time timer: the task has handed over what the source read.
     *
     * @return the batch that did not fill; empty when there is none
     */
    List<TimedEvent> flush() throws Exception {
        if (waitingCount.value() == null) {
            return List.of(); // the timer of a batch that filled
        }
        size.adjust(true, false); // its burst ended before it filled
        return takeWaiting();
    }

    /**
     * Before an event-time timer of the key: the waiting events, whatever the batch's size, so
     * that nothing older than the watermark is correlated after what the watermark triggers.
     *
     * @return the waiting events; empty when none wait
     */
    List<TimedEvent> drain() throws Exception {
        return waitingCount.value() == null ? List.of() : takeWaiting();
    }

    /** The key's waiting events, which then wait no more. */
    private List<TimedEvent> takeWaiting() throws Exception {
        List<TimedEvent> events = new ArrayList<>();
        waiting.get().forEach(events::add);
        waiting.clear();
        waitingCount.clear();
        return events;
    }
}
