package io.tapio.bench.job;

import java.lang.management.ManagementFactory;

/** This JVM's CPU time: every thread's, the job's and whatever else runs beside it. */
final class ProcessCpu {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {}

    /** CPU time used so far, in nanoseconds. */
    static long nanos() {
        return OS.getProcessCpuTime();
    }
}
