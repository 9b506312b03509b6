package io.tapio.bench.overhead;

import io.tapio.ebpf.abi.Program;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.libbpf.ProgramRunTime;
import io.tapio.ebpf.libbpf.RunTimeStats;
import java.util.EnumMap;
import java.util.Map;

/**
 * One run of a workload with programs attached as a {@link Variant} says: its time, what reading
 * the ring cost, and each program's runs and run time during it.
 *
 * @param programs what each loaded program ran during the workload (attached or not: a detached
 *     one ran 0 times); empty when the kernel would not time them
 */
public record TracedRun(double seconds, ReaderCost reader, Map<Program, ProgramRunTime> programs) {
    public TracedRun {
        programs = Map.copyOf(programs);
    }

    /**
     * Attaches, starts the reader, times {@code workload}, and detaches.
     *
     * @param timePrograms whether the kernel times the programs' runs meanwhile (two clock reads
     *     per run more)
     */
    static TracedRun measure(Variant variant, Runnable workload, boolean timePrograms) {
        try (KernelCollector collector = KernelCollector.open(variant.config());
                RunTimeStats stats = timePrograms ? RunTimeStats.enable() : null) {
            Map<Program, ProgramRunTime> before = timePrograms ? collector.programRunTimes() : Map.of();
            RingReaderThread reader = variant.reader() == Variant.Reader.UNREAD
                    ? null
                    : RingReaderThread.start(collector.reader(), variant.reader());
            double seconds;
            Map<Program, ProgramRunTime> during = new EnumMap<>(Program.class);
            ReaderCost readerCost = ReaderCost.NONE;
            try {
                seconds = OverheadBenchmark.time(workload);
                if (timePrograms) {
                    collector
                            .programRunTimes()
                            .forEach((program, after) -> during.put(
                                    program, after.since(before.getOrDefault(program, ProgramRunTime.NONE))));
                }
            } finally {
                if (reader != null) {
                    readerCost = reader.stop();
                }
            }
            return new TracedRun(seconds, readerCost, during);
        }
    }

    /** All programs' run time together, in nanoseconds. */
    public long programNanos() {
        return programs.values().stream().mapToLong(ProgramRunTime::nanos).sum();
    }
}
