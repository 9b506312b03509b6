package io.tapio.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tapio's counters as its Prometheus endpoint would see them, for a test class: a registry
 * joined to Micrometer's global one (where the exports count) while the class runs. Counters
 * only grow and are shared by the JVM's tests: a test compares values before and after.
 */
final class CountedMetrics implements BeforeAllCallback, AfterAllCallback {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Override
    public void beforeAll(ExtensionContext context) {
        Metrics.addRegistry(registry);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Metrics.removeRegistry(registry);
        registry.close();
    }

    /** The counter's value, 0 before it counted. */
    double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The drops counted under these reasons so far, together. */
    double dropped(String name, List<String> reasons) {
        return reasons.stream()
                .mapToDouble(reason -> count(name, "reason", reason))
                .sum();
    }
}
