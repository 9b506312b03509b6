package io.tapio.cli;

import io.tapio.ebpf.source.ebpf.Coalescing;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --ring-coalescing}: how the job's eBPF source reads a busy ring. */
final class CoalescingOption {
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

    Coalescing coalescing() {
        return Coalescing.of(delay);
    }
}
