package io.tapio.ebpf.collector;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Reason;
import io.tapio.ebpf.libbpf.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of the kernel's per-CPU counters ({@code tapio_stats}), summed over CPUs: for
 * each event type, how many candidate events ended in each {@link Reason}.
 */
public final class KernelStats {
    private static final int DISPOSITIONS = Reason.values().length;

    private final long[][] counts;

    KernelStats(long[][] counts) {
        this.counts = counts;
    }

    static KernelStats read(BpfMap stats) {
        int cpus = BpfMap.possibleCpus();
        long[][] counts = new long[EventType.CODE_LIMIT][DISPOSITIONS];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment perCpu = arena.allocate(ValueLayout.JAVA_LONG, cpus);
            for (EventType type : EventType.values()) {
                for (Reason d : Reason.values()) {
                    key.set(ValueLayout.JAVA_INT, 0, type.code() * DISPOSITIONS + d.ordinal());
                    if (stats.lookup(key, perCpu)) {
                        long sum = 0;
                        for (int cpu = 0; cpu < cpus; cpu++) {
                            sum += perCpu.getAtIndex(ValueLayout.JAVA_LONG, cpu);
                        }
                        counts[type.code()][d.ordinal()] = sum;
                    }
                }
            }
        }
        return new KernelStats(counts);
    }

    public long count(EventType type, Reason disposition) {
        return counts[type.code()][disposition.ordinal()];
    }

    /** Over all types. */
    public long total(Reason disposition) {
        long sum = 0;
        for (EventType type : EventType.values()) {
            sum += count(type, disposition);
        }
        return sum;
    }

    /** Every event the kernel side considered for this type, whatever became of it. */
    public long candidates(EventType type) {
        long sum = 0;
        for (long c : counts[type.code()]) {
            sum += c;
        }
        return sum;
    }

    public long emitted(EventType type) {
        return count(type, Reason.EMITTED);
    }

    /** Lost because the ring was full, over all types. */
    public long lost() {
        return total(Reason.RING_FULL);
    }

    public Map<Reason, Long> byReason(EventType type) {
        Map<Reason, Long> result = new EnumMap<>(Reason.class);
        for (Reason d : Reason.values()) {
            result.put(d, count(type, d));
        }
        return result;
    }

    /** What happened between {@code earlier} and this snapshot. */
    public KernelStats since(KernelStats earlier) {
        long[][] delta = new long[EventType.CODE_LIMIT][DISPOSITIONS];
        for (int t = 0; t < EventType.CODE_LIMIT; t++) {
            for (int d = 0; d < DISPOSITIONS; d++) {
                delta[t][d] = counts[t][d] - earlier.counts[t][d];
            }
        }
        return new KernelStats(delta);
    }
}
