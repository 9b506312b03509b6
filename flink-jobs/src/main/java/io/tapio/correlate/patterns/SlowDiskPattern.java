package io.tapio.correlate.patterns;

import io.tapio.correlate.process.Observation;
import io.tapio.ebpf.abi.BlockIoLatency;
import io.tapio.ebpf.abi.EventType;
import io.tapio.model.Severity;
import java.time.Duration;

/**
 * A workload's block I/O is slow far more often than usual. The kernel only reports requests
 * over its block-I/O threshold; this counts them against the workload's usual rate.
 *
 * <p>Deliberately not raised: a workload whose I/O is always slow (its usual level is high), nor
 * one watched for less than the baseline's windows.
 */
public final class SlowDiskPattern extends BasePattern {
    public static final Rule DEFAULT =
            Rule.count(5, Duration.ofMinutes(1), Duration.ofMinutes(2)).overBaseline(5, 10);

    public SlowDiskPattern(Rule rule) {
        super("slow_disk", Severity.WARNING, rule);
    }

    @Override
    public boolean matches(Observation o) {
        return o instanceof Observation.Seen seen && seen.event().type() == EventType.BLOCK_IO_LATENCY;
    }

    /** The device. */
    @Override
    public String subject(Observation o) {
        return ((Observation.Seen) o).event().payload(BlockIoLatency.class).deviceName();
    }

    @Override
    public String summary(Episode episode) {
        return episode.workload().displayName() + " waits on slow disk I/O on device " + episode.subject() + ": "
                + episode.count() + " slow requests (last: " + latest(episode) + ").";
    }

    @Override
    public String recommendation(Episode episode) {
        return "Look at the device's queue and latency (iostat -x), other workloads writing to it, and the volume's "
                + "IOPS limits.";
    }
}
