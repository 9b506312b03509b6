package io.tapio.bench.node;

import io.tapio.ebpf.metrics.MetricNames;
import java.util.OptionalDouble;

/**
 * What a run's Prometheus endpoint says about its bounded state at one scrape: the cgroups the
 * enrichment's cache holds and misses, and what the bounded caches forgot to make room. A
 * figure the run does not export (a cache it has no use for) is empty.
 */
public record RunMetrics(
        OptionalDouble enrichCacheEntries,
        OptionalDouble enrichMisses,
        OptionalDouble enrichEvictions,
        OptionalDouble codecEvictions) {

    /** Parses a scrape in Prometheus' text format; a metric's series are summed. */
    public static RunMetrics of(String scrape) {
        return new RunMetrics(
                sum(scrape, gauge(MetricNames.ENRICH_CACHE_ENTRIES), ""),
                sum(scrape, counter(MetricNames.ENRICH_LOOKUPS), "result=\"miss\""),
                sum(scrape, counter(MetricNames.ENRICH_CACHE_EVICTIONS), ""),
                sum(scrape, counter(MetricNames.WORKLOAD_CODEC_EVICTIONS), ""));
    }

    private static String gauge(String micrometerName) {
        return micrometerName.replace('.', '_');
    }

    private static String counter(String micrometerName) {
        return gauge(micrometerName) + "_total";
    }

    /** The sum of {@code name}'s series whose labels hold {@code label}. */
    private static OptionalDouble sum(String scrape, String name, String label) {
        double sum = 0;
        boolean found = false;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name)) {
                continue;
            }
            String rest = line.substring(name.length());
            int labelsEnd = rest.startsWith("{") ? rest.indexOf("} ") : -1;
            boolean matches = labelsEnd < 0
                    ? rest.startsWith(" ") && label.isEmpty()
                    : labelsEnd > 0 && rest.substring(0, labelsEnd).contains(label);
            if (matches) {
                sum += Double.parseDouble(rest.substring(rest.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
