package io.tapio.bench.job;

import java.lang.management.ManagementFactory;

/**
 * What this JVM has used so far, every thread's, the job's and whatever else runs beside it:
 * its CPU time and the heap it allocated.
 */
final class ProcessUse {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ProcessUse() {}

    /** CPU time used so far, in nanoseconds. */
    static long cpuNanos() {
        return OS.getProcessCpuTime();
    }

    /** Bytes allocated on the heap so far, by threads alive or gone (an approximation: TLABs). */
    static long allocatedBytes() {
        return THREADS.getTotalThreadAllocatedBytes();
    }
}
