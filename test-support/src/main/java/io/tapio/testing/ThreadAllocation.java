package io.tapio.testing;

import java.lang.management.ManagementFactory;

/**
 * The heap bytes the calling thread has allocated so far: read before and after a call, the
 * difference is what the call allocated (escape analysis can only make it less). A decoder's
 * tests hold it to what the decoder's input can justify, so that a length field of 2 GB never
 * becomes a 2 GB buffer.
 */
public final class ThreadAllocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ThreadAllocation() {}

    public static long bytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
