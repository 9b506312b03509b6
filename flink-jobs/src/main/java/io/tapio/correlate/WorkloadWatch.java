package io.tapio.correlate;

import io.tapio.correlate.process.EventTimers;
import io.tapio.model.types.JavaSerializer;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Since when the key's workload has been watched: the history a usual level can be taken over.
 * A workload quiet for {@link #MEMORY} of event time starts again, and the key's sweep that comes
 * due then forgets a departed workload's watch.
 *
 * <p>Kept by the correlator rather than by Flink's state time-to-live, which it was before: on
 * the heap backend a value with a time-to-live is rewritten with a new timestamp at each read,
 * and each access makes an iterator over the key group for the incremental cleanup (a seventh of
 * what the job allocated per event on one busy workload). Here the last time seen is written
 * when it moved by a minute, and one sweep a key is pending at a time.
 */
final class WorkloadWatch {
    /** How long a workload without events is still remembered as watched. */
    static final Duration MEMORY = Duration.ofHours(1);

    private static final long MEMORY_MILLIS = MEMORY.toMillis();
    /** The last time seen is written when it moved by this much: once a minute a busy key, not once a batch. */
    private static final long REFRESH_MILLIS = 60_000;

    /** Since when, and the last time seen to within {@link #REFRESH_MILLIS}; event time. */
    record Span(long since, long lastSeen) implements Serializable {}

    private final ValueState<Span> span;
    /** The watch of checkpoints made before this class, on Flink's time-to-live: taken over, then cleared. */
    private final ValueState<Long> restored;

    WorkloadWatch(RuntimeContext context) {
        this.span = context.getState(new ValueStateDescriptor<>("watch", JavaSerializer.typeOfImmutable(Span.class)));
        // Registered exactly as those versions did, or their checkpoints would not restore it.
        ValueStateDescriptor<Long> earlier = new ValueStateDescriptor<>("watched-since", Types.LONG);
        earlier.enableTimeToLive(StateTtlConfig.newBuilder(MEMORY)
                .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        this.restored = context.getState(earlier);
    }

    /**
     * The watch's start, for a batch of the key's events from {@code first} to {@code last}
     * (event time); starts the watch at {@code first} if there is none or it was quiet too long.
     */
    long since(long first, long last, TimerService timers) throws Exception {
        Span current = span.value();
        if (current == null || first - current.lastSeen() > MEMORY_MILLIS) {
            current = new Span(current == null ? restoredOr(first) : first, last);
            span.update(current);
            timers.registerEventTimeTimer(EventTimers.sweepAfter(last + MEMORY_MILLIS));
        } else if (last - current.lastSeen() >= REFRESH_MILLIS) {
            span.update(new Span(current.since(), last));
        }
        return current.since();
    }

    private long restoredOr(long first) throws Exception {
        Long earlier = restored.value();
        if (earlier == null) {
            return first;
        }
        restored.clear();
        return earlier;
    }

    /**
     * At a sweep of the key at event time {@code now}: forgets a watch quiet for {@link #MEMORY},
     * or asks for the sweep that would, from its last time seen.
     */
    void sweep(long now, TimerService timers) throws Exception {
        Span current = span.value();
        if (current == null) {
            return;
        }
        if (now - current.lastSeen() >= MEMORY_MILLIS) {
            span.clear();
        } else {
            timers.registerEventTimeTimer(EventTimers.sweepAfter(current.lastSeen() + MEMORY_MILLIS));
        }
    }
}
