package io.tapio.enrich;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.tapio.ebpf.metrics.MetricNames;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * A resolver's state in Micrometer's global registry, read when scraped so that events pay
 * nothing for it: {@code tapio_enrich_cache_entries{node}}, {@code tapio_enrich_pods{node}},
 * {@code tapio_enrich_lookups_total{node,result=hit|miss}},
 * {@code tapio_enrich_cache_evictions_total{node,cgroup=removed|live}}. Function counters read
 * their adders through weak references: the resolver is what keeps them alive.
 */
final class EnrichMetrics implements AutoCloseable {
    private final List<Meter> meters;

    private EnrichMetrics(List<Meter> meters) {
        this.meters = meters;
    }

    static EnrichMetrics register(
            String node,
            IntSupplier cacheEntries,
            LongAdder hits,
            LongAdder misses,
            LongAdder evictedRemoved,
            LongAdder evictedLive,
            IntSupplier pods) {
        return new EnrichMetrics(List.of(
                Gauge.builder(MetricNames.ENRICH_CACHE_ENTRIES, cacheEntries::getAsInt)
                        .tag("node", node)
                        .description("Cgroups the enrichment remembers")
                        .strongReference(true)
                        .register(Metrics.globalRegistry),
                Gauge.builder(MetricNames.ENRICH_PODS, pods::getAsInt)
                        .tag("node", node)
                        .description("Pods of the node known from the Kubernetes API")
                        .strongReference(true)
                        .register(Metrics.globalRegistry),
                FunctionCounter.builder(MetricNames.ENRICH_LOOKUPS, hits, LongAdder::sum)
                        .tags("node", node, "result", "hit")
                        .description("Cgroup lookups answered from the cache, or not")
                        .register(Metrics.globalRegistry),
                FunctionCounter.builder(MetricNames.ENRICH_LOOKUPS, misses, LongAdder::sum)
                        .tags("node", node, "result", "miss")
                        .description("Cgroup lookups answered from the cache, or not")
                        .register(Metrics.globalRegistry),
                FunctionCounter.builder(MetricNames.ENRICH_CACHE_EVICTIONS, evictedRemoved, LongAdder::sum)
                        .tags("node", node, "cgroup", "removed")
                        .description("Cgroups the full cache forgot to make room")
                        .register(Metrics.globalRegistry),
                FunctionCounter.builder(MetricNames.ENRICH_CACHE_EVICTIONS, evictedLive, LongAdder::sum)
                        .tags("node", node, "cgroup", "live")
                        .description("Cgroups the full cache forgot to make room")
                        .register(Metrics.globalRegistry)));
    }

    @Override
    public void close() {
        meters.forEach(Metrics.globalRegistry::remove);
    }
}
