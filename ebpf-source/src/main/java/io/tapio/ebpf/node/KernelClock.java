package io.tapio.ebpf.node;

/**
 * Converts kernel timestamps ({@code bpf_ktime_get_ns}, CLOCK_MONOTONIC, the clock of
 * {@link System#nanoTime()}) to wall-clock time for Flink's event time. The offset is taken
 * once: the two clocks drift apart only by NTP's slewing, which is far below what event-time
 * windows resolve.
 */
public final class KernelClock {
    private final long epochNanosAtZero;

    private KernelClock(long epochNanosAtZero) {
        this.epochNanosAtZero = epochNanosAtZero;
    }

    /** The offset between the two clocks on this machine, now. */
    public static KernelClock local() {
        long wall = System.currentTimeMillis() * 1_000_000L;
        return new KernelClock(wall - System.nanoTime());
    }

    public long epochMillis(long kernelNanos) {
        return (epochNanosAtZero + kernelNanos) / 1_000_000L;
    }

    public long epochNanos(long kernelNanos) {
        return epochNanosAtZero + kernelNanos;
    }
}
