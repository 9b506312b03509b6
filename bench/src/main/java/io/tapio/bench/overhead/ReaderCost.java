package io.tapio.bench.overhead;

/**
 * What reading the ring cost during a run, apart from the programs' own run time.
 *
 * @param wakeups the reader thread's voluntary context switches: each time it slept and was
 *     woken again, by a record or by its timer
 * @param cpuNanos the reader thread's CPU time
 */
public record ReaderCost(long wakeups, long cpuNanos) {
    public static final ReaderCost NONE = new ReaderCost(0, 0);
}
