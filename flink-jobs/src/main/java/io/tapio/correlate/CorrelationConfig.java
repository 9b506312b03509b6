package io.tapio.correlate;

import io.tapio.correlate.patterns.CpuStarvationPattern;
import io.tapio.correlate.patterns.CrashLoopPattern;
import io.tapio.correlate.patterns.DependencyUnreachablePattern;
import io.tapio.correlate.patterns.FailureCausePattern;
import io.tapio.correlate.patterns.KilledBySignalPattern;
import io.tapio.correlate.patterns.OomPattern;
import io.tapio.correlate.patterns.Pattern;
import io.tapio.correlate.patterns.RetransmitStormPattern;
import io.tapio.correlate.patterns.Rule;
import io.tapio.correlate.patterns.SlowDiskPattern;
import io.tapio.ebpf.batch.AdaptiveBatchSize;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the correlator looks for and how it batches.
 *
 * @param patterns the patterns, each with its rule
 * @param batch bounds of a key's batch and the latency target (kernel timestamp to finding)
 *     it is sized to hold
 */
public record CorrelationConfig(List<Pattern> patterns, AdaptiveBatchSize.Settings batch) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Every pattern by name, with its default rule and how to make it with another. */
    private static final Map<String, Entry> PATTERNS = new LinkedHashMap<>();

    private record Entry(Rule defaultRule, Function<Rule, Pattern> make) {}

    static {
        register("oom_kill", OomPattern.DEFAULT, OomPattern::new);
        register("crash_loop", CrashLoopPattern.DEFAULT, CrashLoopPattern::new);
        register("killed_by_signal", KilledBySignalPattern.DEFAULT, KilledBySignalPattern::new);
        register("dependency_unreachable", DependencyUnreachablePattern.DEFAULT, DependencyUnreachablePattern::new);
        register("retransmit_storm", RetransmitStormPattern.DEFAULT, RetransmitStormPattern::new);
        register("missing_file", FailureCausePattern.DEFAULT, FailureCausePattern::missingFile);
        register("permission_denied", FailureCausePattern.DEFAULT, FailureCausePattern::permissionDenied);
        register("cpu_starvation", CpuStarvationPattern.DEFAULT, CpuStarvationPattern::new);
        register("slow_disk", SlowDiskPattern.DEFAULT, SlowDiskPattern::new);
    }

    private static void register(String name, Rule rule, Function<Rule, Pattern> make) {
        PATTERNS.put(name, new Entry(rule, make));
    }

    public CorrelationConfig {
        patterns = List.copyOf(patterns);
    }

    /**
     * Every pattern with its default rule; batches of 1 to 256 held to 100 µs, so that a key
     * batches only when its events come closer than 50 µs apart (20,000 a second).
     */
    public static CorrelationConfig defaults() {
        List<Pattern> patterns = new ArrayList<>();
        PATTERNS.values().forEach(entry -> patterns.add(entry.make().apply(entry.defaultRule())));
        return new CorrelationConfig(patterns, new AdaptiveBatchSize.Settings(1, 256, Duration.ofNanos(100_000), 0.5));
    }

    /** The same configuration with {@code pattern}'s rule replaced. */
    public CorrelationConfig withRule(String pattern, Rule rule) {
        Entry entry = PATTERNS.get(pattern);
        if (entry == null) {
            throw new IllegalArgumentException(
                    "no pattern named '" + pattern + "': the patterns are " + String.join(", ", PATTERNS.keySet()));
        }
        List<Pattern> replaced = new ArrayList<>();
        patterns.forEach(
                p -> replaced.add(p.name().equals(pattern) ? entry.make().apply(rule) : p));
        return new CorrelationConfig(replaced, batch);
    }
}
