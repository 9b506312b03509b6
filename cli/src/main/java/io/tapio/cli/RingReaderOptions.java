package io.tapio.cli;

import io.tapio.ebpf.source.ebpf.Coalescing;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --ring-coalescing} and {@code --ring-reader-slice}: how the job's eBPF source reads its ring. */
final class RingReaderOptions {
    @Option(
            names = "--ring-coalescing",
            defaultValue = "200us",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "With the eBPF source, on a busy ring (3 records or more in that time: 15,000 events/s "
                    + "for 200us): how long records gather before the job reads them. Fewer wakeups, a third to "
                    + "a half of the job's CPU from 20,000 to 100,000 events/s, for at most this much more "
                    + "latency; 0us reads each wakeup's records at once (default: ${DEFAULT-VALUE}).")
    Duration delay;

    @Option(
            names = "--ring-reader-slice",
            defaultValue = "100us",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "With the eBPF source, the scheduler slice the ring's reader asks for (its task, which "
                    + "also correlates, and its waiter; Linux 6.12+, older kernels ignore it): a short slice lets "
                    + "the reader run as soon as it wakes instead of waiting behind a busy CPU, without more CPU. "
                    + "0us keeps the scheduler's own (default: ${DEFAULT-VALUE}).")
    Duration slice;

    Coalescing coalescing() {
        return Coalescing.of(delay);
    }
}
