package io.tapio.bench.job;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * This JVM's garbage collections so far, every collector's: how many, and the time they took
 * (for G1 its pauses, the young and mixed ones and a marking cycle's remark and cleanup).
 *
 * @param count collections
 * @param millis their time
 */
public record GarbageCollections(long count, long millis) {
    static GarbageCollections sinceStart() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return new GarbageCollections(count, millis);
    }

    /** The collections since {@code earlier}. */
    GarbageCollections since(GarbageCollections earlier) {
        return new GarbageCollections(count - earlier.count, millis - earlier.millis);
    }
}
