package io.tapio.correlate.patterns;

import io.tapio.correlate.process.Observation;
import io.tapio.ebpf.abi.EventType;
import io.tapio.model.Severity;
import java.time.Duration;

/**
 * A workload's threads wait for a CPU far more often than usual: something else takes the
 * CPUs, or its CPU limit throttles it. The kernel only reports waits over its run-queue
 * threshold; this counts them against the workload's own usual rate.
 *
 * <p>Deliberately not raised: a workload that is always busy (its usual level is high), nor one
 * watched for less than the baseline's windows (no usual level to compare with).
 */
public final class CpuStarvationPattern extends BasePattern {
    public static final Rule DEFAULT =
            Rule.count(20, Duration.ofSeconds(30), Duration.ofMinutes(1)).overBaseline(5, 10);

    public CpuStarvationPattern(Rule rule) {
        super("cpu_starvation", Severity.WARNING, rule);
    }

    @Override
    public boolean matches(Observation o) {
        return o instanceof Observation.Seen seen && seen.event().type() == EventType.RUNQ_LATENCY;
    }

    @Override
    public String subject(Observation o) {
        return "";
    }

    @Override
    public String summary(Episode episode) {
        return episode.workload().displayName() + " is starved of CPU: " + episode.count()
                + " long waits for a CPU, far more than usual (last: " + latest(episode) + ").";
    }

    @Override
    public String recommendation(Episode episode) {
        return "Find what else runs on the node's CPUs (a noisy neighbour, a CPU hog), or raise the workload's CPU "
                + "request and limit; check CFS throttling.";
    }
}
