package io.tapio.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an export could not deliver, counted by reason. Every reason's series exists at zero
 * from the start: an alert on {@code increase()} only sees a counter's first increment if the
 * series existed before it.
 */
final class DropCounter {
    private final Map<String, Counter> byReason = new LinkedHashMap<>();

    DropCounter(String name, String description, List<String> reasons) {
        for (String reason : reasons) {
            byReason.put(
                    reason,
                    Counter.builder(name)
                            .tag("reason", reason)
                            .description(description)
                            .register(Metrics.globalRegistry));
        }
    }

    void add(String reason, long findings) {
        Counter counter = byReason.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("not a drop reason: " + reason + "; one of " + byReason.keySet());
        }
        counter.increment(findings);
    }
}
