package io.tapio.ebpf.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What one stage of the streaming job reports per event: how long after the kernel recorded
 * it the event reached the stage ({@code tapio_event_processing_duration_seconds{stage}}, a
 * histogram) and, at the stage where events enter the job,
 * {@code tapio_events_processed_total{node,type}}.
 *
 * <p>Counts are kept in plain fields and added to the shared counters in bulk, and the latency
 * of one event in {@link #LATENCY_SAMPLING} is recorded: recording every one costs more than the
 * rest of a stage, and at the rates that matter one in eight still gives thousands of samples a
 * second. Which events are sampled follows from the event itself (its kernel timestamp), so
 * every stage measures the same events and the stages' quantiles can be compared: a stage's
 * own share is the difference from the stage before. An event that is not sampled costs a
 * multiplication; the clock is read for sampled events only.
 */
public final class StageMetrics {
    private static final long FLUSH_EVERY_NANOS = 200_000_000L;
    /** Counts are added to the shared counters at least this often, in events. */
    private static final int FLUSH_EVERY_EVENTS = 4096;

    static final int LATENCY_SAMPLING = 8;
    private static final int SAMPLING_SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(LATENCY_SAMPLING);
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final Timer latency;
    private final Counter[] processed;
    private final long[] pending;
    private long lastFlush = System.nanoTime();
    private int seen;

    private StageMetrics(Stage stage, String node, boolean counting) {
        this.latency = timer(stage);
        this.processed = new Counter[EventType.CODE_LIMIT];
        this.pending = new long[EventType.CODE_LIMIT];
        if (counting) {
            for (EventType type : EventType.values()) {
                processed[type.code()] = Counter.builder(MetricNames.EVENTS_PROCESSED)
                        .tags("node", node, "type", type.label())
                        .description("Kernel events that entered the streaming job")
                        .register(Metrics.globalRegistry);
            }
        }
    }

    /**
     * {@code tapio_event_processing_duration_seconds{stage}}: the histogram of how long after the
     * kernel recorded it an event (or, for stage {@code finding}, a report) reached the stage.
     */
    public static Timer timer(Stage stage) {
        return Timer.builder(MetricNames.PROCESSING_DURATION)
                .tag("stage", stage.label())
                .description("From the kernel recording an event to the event reaching this stage")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(Metrics.globalRegistry);
    }

    /** The stage where events enter the job: counts them and measures their latency. */
    public static StageMetrics entry(Stage stage, String node) {
        return new StageMetrics(stage, node, true);
    }

    /** A stage that measures latency only. */
    public static StageMetrics stage(Stage stage) {
        return new StageMetrics(stage, "", false);
    }

    /** Whether {@code event}'s latency is measured: the same one in {@link #LATENCY_SAMPLING} at every stage. */
    public static boolean sampled(KernelEvent event) {
        return (event.timestampNs() * GOLDEN_GAMMA) >>> SAMPLING_SHIFT == 0;
    }

    /**
     * Records an event at this stage.
     *
     * @param live whether its timestamp is from this machine's clock now (not a replay)
     */
    public void record(KernelEvent event, boolean live) {
        boolean sampled = sampled(event);
        long now = 0;
        if (live && sampled) {
            now = System.nanoTime();
            latency.record(now - event.timestampNs(), TimeUnit.NANOSECONDS);
        }
        if (processed[event.type().code()] != null) {
            pending[event.type().code()]++;
            if (sampled || ++seen == FLUSH_EVERY_EVENTS) {
                seen = 0;
                now = now == 0 ? System.nanoTime() : now;
                if (now - lastFlush > FLUSH_EVERY_NANOS) {
                    flush();
                    lastFlush = now;
                }
            }
        }
    }

    /** Adds what was counted since the last flush to the shared counters. */
    public void flush() {
        for (int code = 0; code < pending.length; code++) {
            if (pending[code] > 0) {
                processed[code].increment(pending[code]);
                pending[code] = 0;
            }
        }
    }
}
