package io.tapio.correlate;

import io.tapio.correlate.patterns.CpuStarvationPattern;
import io.tapio.correlate.patterns.CrashLoopPattern;
import io.tapio.correlate.patterns.DependencyUnreachablePattern;
import io.tapio.correlate.patterns.FileAccessStormPattern;
import io.tapio.correlate.patterns.KilledBySignalPattern;
import io.tapio.correlate.patterns.OomCrashLoopPattern;
import io.tapio.correlate.patterns.OomKillPattern;
import io.tapio.correlate.patterns.RetransmitStormPattern;
import io.tapio.correlate.patterns.SlowDiskPattern;
import io.tapio.ebpf.source.AdaptiveBatchSize;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * What the correlator looks for and how it batches.
 *
 * @param patterns the patterns, each with its rule
 * @param batch bounds of a key's batch and the latency target (kernel timestamp to finding)
 *     it is sized to hold
 * @param flushAfter how long a key's partial batch may wait: a quiet key is never held back
 *     longer
 */
public record CorrelationConfig(List<Pattern> patterns, AdaptiveBatchSize.Settings batch, Duration flushAfter)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public CorrelationConfig {
        patterns = List.copyOf(patterns);
    }

    /** Every pattern with its default rule; batches of 1 to 256 held to 2 ms. */
    public static CorrelationConfig defaults() {
        return new CorrelationConfig(List.of(
                new OomKillPattern(OomKillPattern.DEFAULT),
                new OomCrashLoopPattern(OomCrashLoopPattern.DEFAULT),
                new CrashLoopPattern(CrashLoopPattern.DEFAULT),
                new KilledBySignalPattern(KilledBySignalPattern.DEFAULT),
                new DependencyUnreachablePattern(DependencyUnreachablePattern.DEFAULT),
                new RetransmitStormPattern(RetransmitStormPattern.DEFAULT),
                FileAccessStormPattern.missingFile(FileAccessStormPattern.DEFAULT),
                FileAccessStormPattern.permissionDenied(FileAccessStormPattern.DEFAULT),
                new CpuStarvationPattern(CpuStarvationPattern.DEFAULT),
                new SlowDiskPattern(SlowDiskPattern.DEFAULT)),
                new AdaptiveBatchSize.Settings(1, 256, Duration.ofMillis(2), 0.5), Duration.ofMillis(1));
    }
}
