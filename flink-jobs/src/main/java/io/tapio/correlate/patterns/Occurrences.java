package io.tapio.correlate.patterns;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * When a pattern's occurrences happened in one workload (epoch milliseconds), oldest first:
 * primitive, and counted in a window by binary search, since every occurrence asks how many
 * fell in the rule's window and baseline (a scan of up to {@link Episode#MAX_REMEMBERED} boxed
 * times per event was the correlator's largest cost).
 */
final class Occurrences implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    private long[] times = new long[8];
    private int start;
    private int end;
    private long truncatedUpTo = Long.MIN_VALUE;

    Occurrences copy() {
        Occurrences copy = new Occurrences();
        copy.times = times.clone();
        copy.start = start;
        copy.end = end;
        copy.truncatedUpTo = truncatedUpTo;
        return copy;
    }

    boolean isEmpty() {
        return start == end;
    }

    int size() {
        return end - start;
    }

    long newest() {
        return times[end - 1];
    }

    /** Between the two newest, or 0 with fewer than two. */
    long latestGap() {
        return size() < 2 ? 0 : times[end - 1] - times[end - 2];
    }

    /** Adds {@code at} in time order: a helper's failure may be known after later events. */
    void add(long at) {
        if (end == times.length) {
            makeRoom();
        }
        int index = isEmpty() || at >= newest() ? end : insertionPoint(at);
        System.arraycopy(times, index, times, index + 1, end - index);
        times[index] = at;
        end++;
    }

    /** Forgets the oldest while there are more than {@code max} or they are at or before {@code upTo}. */
    void forget(long upTo, int max) {
        while (!isEmpty() && (size() > max || times[start] <= upTo)) {
            if (times[start] > upTo) {
                truncatedUpTo = Math.max(truncatedUpTo, times[start]);
            }
            start++;
        }
    }

    /**
     * The newest occurrence forgotten only because more than the most were kept, not because it
     * was old ({@link Long#MIN_VALUE} if none): a count that reaches back to it or before is short.
     */
    long truncatedUpTo() {
        return truncatedUpTo;
    }

    /** How many are after {@code fromExclusive} and at or before {@code toInclusive}. */
    int countWithin(long fromExclusive, long toInclusive) {
        return Math.max(0, insertionPoint(toInclusive + 1) - insertionPoint(fromExclusive + 1));
    }

    /** The oldest after {@code fromExclusive}, or {@link Long#MAX_VALUE} with none. */
    long oldestAfter(long fromExclusive) {
        int i = insertionPoint(fromExclusive + 1);
        return i < end ? times[i] : Long.MAX_VALUE;
    }

    /** Whether one is less than {@code spacing} away from {@code at}. */
    boolean anyCloserThan(long at, long spacing) {
        int i = insertionPoint(at);
        return i < end && times[i] - at < spacing || i > start && at - times[i - 1] < spacing;
    }

    /** The first index in [start, end) whose time is at least {@code time}. */
    private int insertionPoint(long time) {
        int low = start;
        int high = end;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (times[mid] < time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private void makeRoom() {
        int size = size();
        long[] into = size * 2 <= times.length ? times : Arrays.copyOf(times, times.length * 2);
        System.arraycopy(times, start, into, 0, size);
        times = into;
        start = 0;
        end = size;
    }
}
