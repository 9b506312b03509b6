package io.tapio.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tapio.ebpf.metrics.DropReason;
import io.tapio.ebpf.metrics.MetricNames;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Builds a {@link TapioStatus} from the meters this JVM's job registered, each call covering
 * the time since the previous one (rates, latency, drops in the interval) and the run so far
 * (totals).
 */
public final class StatusSampler {
    private final MeterRegistry registry;
    private final String source;
    private final String node;
    private final Instant startedAt;
    private final Supplier<List<TapioStatus.Finding>> findings;
    private final LatencyWindow latency = new LatencyWindow();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private Map<String, Double> previousByType = Map.of();
    private Map<String, Double> previousDrops = Map.of();
    private Map<String, Double> previousDispositions = Map.of();
    private double previousRestarts;
    private final long startedNanos = System.nanoTime();
    private long previousNanos = startedNanos;

    public StatusSampler(
            MeterRegistry registry,
            String source,
            String node,
            Instant startedAt,
            Supplier<List<TapioStatus.Finding>> findings) {
        this.registry = registry;
        this.source = source;
        this.node = node;
        this.startedAt = startedAt;
        this.findings = findings;
    }

    /** A note for every status from now on (how the run started, say). */
    public void note(String note) {
        notes.add(note);
    }

    /**
     * The status now. While running, rates and latency cover the time since the last call;
     * the final status of a stopped run gives the rates over the whole run.
     */
    public TapioStatus sample(boolean running) {
        return sample(running, JobState.FINE);
    }

    /** The status now, with what the job itself does ({@link JobState}) among its problems. */
    public synchronized TapioStatus sample(boolean running, JobState job) {
        TapioStatus measured = measure(running, job);
        return notes.isEmpty() ? measured : measured.withNotes(notes);
    }

    private TapioStatus measure(boolean running, JobState job) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - (running ? previousNanos : startedNanos)) / 1e9);
        previousNanos = now;

        Map<String, Double> byType = sumBy(MetricNames.EVENTS_PROCESSED, "type");
        Map<String, Double> since = running ? previousByType : Map.of();
        Map<String, Double> rates = new TreeMap<>();
        byType.forEach((type, count) -> rates.put(type, (count - since.getOrDefault(type, 0.0)) / seconds));
        previousByType = byType;
        long processed = Math.round(
                byType.values().stream().mapToDouble(Double::doubleValue).sum());

        Map<String, Double> dropCounts = totals(MetricNames.EVENTS_DROPPED, "reason", previousDrops);
        Map<String, Long> drops = new TreeMap<>();
        Map<String, Long> dropsInInterval = new HashMap<>();
        dropCounts.forEach((reason, count) -> {
            drops.put(reason, Math.round(count));
            dropsInInterval.put(reason, Math.round(count - previousDrops.getOrDefault(reason, 0.0)));
        });
        previousDrops = dropCounts;

        Map<String, Double> dispositions = totals(MetricNames.KERNEL_EVENTS, "disposition", previousDispositions);
        previousDispositions = dispositions;
        long delivered = Math.round(dispositions.getOrDefault("emitted", 0.0));
        long lost = Math.round(dispositions.getOrDefault(DropReason.RING_FULL.label(), 0.0));
        long candidates = Math.round(
                dispositions.values().stream().mapToDouble(Double::doubleValue).sum());
        TapioStatus.Kernel kernel = new TapioStatus.Kernel(candidates, delivered, candidates - delivered - lost, lost);

        double restarts = sumBy(MetricNames.SOURCE_RESTARTS, "node").values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();
        long restartsInInterval = Math.round(restarts - previousRestarts);
        previousRestarts = restarts;

        Gauge fill = registry.find(MetricNames.RINGBUF_USED_RATIO).gauge();
        double ringFill = fill == null ? 0 : fill.value();
        Map<String, String> unavailable = byType(MetricNames.KERNEL_TYPE_UNAVAILABLE, "reason");
        Map<String, String> limited = byType(MetricNames.KERNEL_TYPE_LIMITED, "limitation");
        Timer endToEnd = registry.find(MetricNames.PROCESSING_DURATION)
                .tag("stage", "end")
                .timer();
        TapioStatus.Latency window = latency.next(endToEnd);

        List<TapioStatus.Finding> latest = findings.get();
        return new TapioStatus(
                TapioStatus.VERSION,
                running,
                source,
                node,
                startedAt.toString(),
                Instant.now().toString(),
                processed,
                new TapioStatus.Rates(
                        rates.values().stream().mapToDouble(Double::doubleValue).sum(), rates),
                window,
                kernel,
                drops,
                ringFill,
                unavailable,
                latest,
                HealthAdvisor.assess(
                        running,
                        job,
                        dropsInInterval,
                        ringFill,
                        window,
                        unavailable,
                        limited,
                        latest,
                        restartsInInterval));
    }

    /**
     * The run's totals of the counters named {@code name} by one tag. The source's counters
     * leave the registry with its reader when the job stops, before the final status is taken:
     * a total never goes below what an earlier sample saw, so that the final status keeps them.
     */
    private Map<String, Double> totals(String name, String tag, Map<String, Double> earlier) {
        Map<String, Double> totals = sumBy(name, tag);
        earlier.forEach((key, count) -> totals.merge(key, count, Math::max));
        return totals;
    }

    /** The gauges named {@code name}: the value of one tag by the event type they are about. */
    private Map<String, String> byType(String name, String tag) {
        Map<String, String> byType = new TreeMap<>();
        registry.find(name)
                .meters()
                .forEach(m -> byType.put(m.getId().getTag("type"), m.getId().getTag(tag)));
        return byType;
    }

    /** The counters named {@code name}, summed by the value of one tag. */
    private Map<String, Double> sumBy(String name, String tag) {
        Map<String, Double> sums = new HashMap<>();
        for (Meter meter : registry.find(name).meters()) {
            double count = switch (meter) {
                case Counter c -> c.count();
                case FunctionCounter c -> c.count();
                default -> 0;
            };
            sums.merge(meter.getId().getTag(tag), count, Double::sum);
        }
        return sums;
    }
}
