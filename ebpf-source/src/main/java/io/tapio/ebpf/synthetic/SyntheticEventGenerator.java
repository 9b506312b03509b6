package io.tapio.ebpf.synthetic;

import io.tapio.ebpf.abi.KernelEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for the kernel: the events of a simulated node, as well-formed records, in
 * timestamp order. The same configuration and start give the same records, byte for byte.
 *
 * <p>Time is the caller's: timestamps are on the {@link System#nanoTime()} clock from the
 * start given, so a caller may pace itself in real time ({@code next(System.nanoTime())}
 * whenever {@link #nextTimestampNs()} is due), or run on virtual time as fast as it can by
 * asking for any later instant. How the calls are split does not change the sequence.
 *
 * <p>Not thread-safe: one generator feeds one reader.
 */
public final class SyntheticEventGenerator {
    /** CPUs of the simulated node; fixed, so that the records do not depend on the machine. */
    static final int CPUS = 8;

    private final List<Stream> streams = new ArrayList<>();

    public SyntheticEventGenerator(SyntheticConfig config, long startTimestampNs) {
        Pids pids = new Pids();
        streams.add(new Background(config, startTimestampNs, pids));
        for (InjectedFault fault : config.faults()) {
            streams.add(new FaultScript(fault, startTimestampNs, pids));
        }
    }

    /** When the next event happens; {@link Long#MAX_VALUE} when no event ever will. */
    public long nextTimestampNs() {
        long next = Long.MAX_VALUE;
        for (Stream stream : streams) {
            next = Math.min(next, stream.nextTimestampNs());
        }
        return next;
    }

    /**
     * The events that happen up to and including {@code untilTimestampNs} and were not returned
     * before. Faults repeat for ever, so with faults the span asked for must be bounded.
     */
    public List<KernelEvent> next(long untilTimestampNs) {
        List<KernelEvent> events = new ArrayList<>();
        while (true) {
            Stream earliest = null;
            long at = Long.MAX_VALUE;
            for (Stream stream : streams) {
                long next = stream.nextTimestampNs();
                if (next < at) {
                    at = next;
                    earliest = stream;
                }
            }
            if (earliest == null || at > untilTimestampNs) {
                return events;
            }
            events.add(earliest.take());
        }
    }

    /** One source of events in timestamp order: the background, or one fault. */
    interface Stream {
        /** {@link Long#MAX_VALUE} when the stream has ended. */
        long nextTimestampNs();

        KernelEvent take();
    }

    /** The node's pid allocator, shared by every stream as the kernel's is by every process. */
    static final class Pids {
        private static final int FIRST = 300; // the kernel's RESERVED_PIDS: below are early boot's
        private static final int LIMIT = 4_194_304; // pid_max of a 64-bit kernel

        private int next = FIRST;

        int next() {
            int pid = next;
            next = next + 1 == LIMIT ? FIRST : next + 1;
            return pid;
        }
    }
}
