package io.tapio.bench.job;

import io.tapio.testing.FailedOpenLoad;
import java.lang.management.ManagementFactory;

/**
 * What this JVM has used up to a moment, every thread's, the job's and whatever else runs beside
 * it: its CPU time, the heap it allocated (by threads alive or gone; an approximation, TLABs) and
 * its garbage collections. The difference of two is what was used in between.
 */
record ProcessUse(long cpuNanos, long allocatedBytes, GarbageCollections collections) {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static ProcessUse now() {
        return new ProcessUse(
                OS.getProcessCpuTime(), THREADS.getTotalThreadAllocatedBytes(), GarbageCollections.sinceStart());
    }

    /** This use without the CPU and heap of {@code load}'s stopped threads (its collections are everyone's). */
    ProcessUse without(FailedOpenLoad load) {
        return new ProcessUse(cpuNanos - load.cpuNanos(), allocatedBytes - load.allocatedBytes(), collections);
    }

    /** What was used since {@code earlier}. */
    ProcessUse since(ProcessUse earlier) {
        return new ProcessUse(
                cpuNanos - earlier.cpuNanos,
                allocatedBytes - earlier.allocatedBytes,
                collections.since(earlier.collections));
    }
}
