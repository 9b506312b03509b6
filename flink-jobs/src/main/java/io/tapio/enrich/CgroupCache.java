package io.tapio.enrich;

import io.tapio.model.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The cgroups seen so far, by id, with what their paths say. A cgroup that has been removed
 * stays for a grace period, because its last events (the OOM kill of its container, the
 * exits) reach the job after it is gone. Bounded: when full, removed cgroups go first, then
 * live ones, which are simply looked up again on their next event; each eviction is counted
 * (an evicted removed cgroup's late events lose their name, an evicted live one costs a lookup).
 */
final class CgroupCache {
    /** A cached cgroup. */
    static final class Entry {
        final Workload fromPath;
        /** When it was found removed, by {@link System#nanoTime()}; 0 while it exists. */
        volatile long goneSince;
        /** What the pod directory said, and at which of its generations; null until asked. */
        volatile Described described;

        Entry(Workload fromPath, long goneSince) {
            this.fromPath = fromPath;
            this.goneSince = goneSince;
        }
    }

    /** An identity completed by the pod directory at one of its generations. */
    record Described(long generation, Workload workload) {}

    /** Slots of {@link #boxed}, a power of two: more than a node's busy cgroups. */
    private static final int BOXES = 1024;

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final Long[] boxes = new Long[BOXES];
    private final LongAdder evictedRemoved = new LongAdder();
    private final LongAdder evictedLive = new LongAdder();
    private final Path root;
    private final long graceNanos;
    private final int bound;

    CgroupCache(Path root, Duration grace, int bound) {
        this.root = root;
        this.graceNanos = grace.toNanos();
        this.bound = bound;
    }

    Entry get(long cgroupId) {
        return entries.get(boxed(cgroupId));
    }

    /**
     * The id as the map's key, in the box of the last id looked up with the same low bits: every
     * event looks its cgroup up here, and a box of its own was 7% of the bytes the job's task
     * allocated replaying a capture. Shared by the tasks that enrich without a lock: a Long is
     * immutable, so a box one task reads that another put here is whole.
     */
    private Long boxed(long id) {
        int slot = Long.hashCode(id) & (BOXES - 1);
        Long box = boxes[slot];
        if (box == null || box != id) {
            boxes[slot] = box = id;
        }
        return box;
    }

    /** Caches a cgroup found at its path. */
    Entry addLive(Workload fromPath) {
        return add(new Entry(fromPath, 0));
    }

    /** Caches an id that no cgroup has any more, so that its later events cost no lookup. */
    Entry addGone(Workload identity) {
        return add(new Entry(identity, System.nanoTime()));
    }

    private Entry add(Entry entry) {
        if (entries.size() >= bound) {
            trim();
        }
        Entry previous = entries.putIfAbsent(entry.fromPath.cgroup().id(), entry);
        return previous != null ? previous : entry;
    }

    int size() {
        return entries.size();
    }

    /** Removed cgroups evicted to make room, before their grace period ended. */
    LongAdder evictedRemoved() {
        return evictedRemoved;
    }

    /** Live cgroups evicted to make room. */
    LongAdder evictedLive() {
        return evictedLive;
    }

    /** Notes which cgroups are gone and forgets those gone for longer than the grace period. */
    void sweep() {
        long now = System.nanoTime();
        entries.values().removeIf(entry -> {
            if (entry.goneSince == 0 && !exists(entry.fromPath)) {
                entry.goneSince = now;
            }
            return entry.goneSince != 0 && now - entry.goneSince > graceNanos;
        });
    }

    /** Its directory is still there and still the same cgroup (a new one may have taken the path). */
    private boolean exists(Workload cgroup) {
        try {
            Object inode =
                    Files.getAttribute(root.resolve(cgroup.cgroup().path().substring(1)), "unix:ino");
            return ((Number) inode).longValue() == cgroup.cgroup().id();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Makes room for a tenth of the bound: removed cgroups first, then any. */
    private void trim() {
        sweep();
        int target = bound - Math.max(1, bound / 10);
        evict(entry -> entry.goneSince != 0, target, evictedRemoved);
        evict(entry -> true, target, evictedLive);
    }

    private void evict(Predicate<Entry> which, int target, LongAdder evicted) {
        for (Iterator<Entry> it = entries.values().iterator(); entries.size() > target && it.hasNext(); ) {
            if (which.test(it.next())) {
                it.remove();
                evicted.increment();
            }
        }
    }
}
