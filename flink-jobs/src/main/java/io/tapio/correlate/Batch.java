package io.tapio.correlate;

import io.tapio.model.EnrichedEvent;
import java.util.Arrays;

/**
 * A key's events to be correlated together, in event-time order (events of one time keep their
 * order of arrival). Events from different CPUs reach the ring slightly out of order, so each is
 * placed as it is added, mostly at the end. Reused once correlated: a batch makes no object per
 * event.
 */
final class Batch {
    private long[] epochMillis = new long[8];
    private EnrichedEvent[] events = new EnrichedEvent[8];
    private int size;
    /** When its first event arrived (System.nanoTime), for the fill time; Long.MAX_VALUE: unknown. */
    private long firstArrival = Long.MAX_VALUE;

    void add(long at, EnrichedEvent event) {
        if (size == events.length) {
            epochMillis = Arrays.copyOf(epochMillis, 2 * size);
            events = Arrays.copyOf(events, 2 * size);
        }
        int i = size;
        while (i > 0 && epochMillis[i - 1] > at) {
            epochMillis[i] = epochMillis[i - 1];
            events[i] = events[i - 1];
            i--;
        }
        epochMillis[i] = at;
        events[i] = event;
        size++;
    }

    int size() {
        return size;
    }

    /** The event time (epoch millis) of the {@code i}th event. */
    long epochMillis(int i) {
        return epochMillis[i];
    }

    EnrichedEvent event(int i) {
        return events[i];
    }

    long firstArrival() {
        return firstArrival;
    }

    void firstArrival(long nanos) {
        firstArrival = nanos;
    }

    void clear() {
        Arrays.fill(events, 0, size, null);
        size = 0;
        firstArrival = Long.MAX_VALUE;
    }
}
