package io.tapio.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tapio.ebpf.metrics.MetricNames;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the status makes of the source's meters. */
class StatusSamplerTest {
    /** The totals a stopped run leaves behind are the run's, although its source's meters are gone. */
    @Test
    void theFinalStatusKeepsTheKernelTotalsAndDropsAfterTheSourcesMetersLeave() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong emitted = new AtomicLong(95);
        AtomicLong filtered = new AtomicLong(511_589);
        AtomicLong ringFull = new AtomicLong(3);
        List<Meter> source = List.of(
                FunctionCounter.builder("tapio.kernel.events", emitted, AtomicLong::get)
                        .tags("node", "vm", "type", "exec", "disposition", "emitted")
                        .register(registry),
                FunctionCounter.builder("tapio.kernel.events", filtered, AtomicLong::get)
                        .tags("node", "vm", "type", "open_failed", "disposition", "filtered_rule")
                        .register(registry),
                FunctionCounter.builder("tapio.events.dropped", ringFull, AtomicLong::get)
                        .tags("node", "vm", "reason", "ring_full")
                        .register(registry));
        StatusSampler sampler = new StatusSampler(registry, "ebpf", "vm", Instant.now(), List::of);

        TapioStatus running = sampler.sample(true);
        assertEquals(new TapioStatus.Kernel(511_684, 95, 511_589, 0), running.kernel());
        assertEquals(Map.of("ring_full", 3L), running.drops());

        source.forEach(registry::remove); // the job was cancelled: its reader closed
        TapioStatus stopped = sampler.sample(false);
        assertEquals(running.kernel(), stopped.kernel());
        assertEquals(Map.of("ring_full", 3L), stopped.drops());
    }

    @Test
    void typesTheKernelCannotProvideOrProvidesWithLessAreNotesOfTheStatus() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Gauge.builder(MetricNames.KERNEL_TYPE_UNAVAILABLE, () -> 1)
                .tags("node", "vm", "type", "runq_latency", "reason", "this kernel rejected program tapio_sched_switch")
                .register(registry);
        Gauge.builder(MetricNames.KERNEL_TYPE_LIMITED, () -> 1)
                .tags("node", "vm", "type", "block_io_latency", "limitation", "timed from block_rq_issue")
                .register(registry);
        StatusSampler sampler = new StatusSampler(registry, "ebpf", "vm", Instant.now(), List::of);

        TapioStatus status = sampler.sample(true);

        assertEquals(Map.of("runq_latency", "this kernel rejected program tapio_sched_switch"), status.unavailable());
        assertEquals(
                List.of(
                        "no runq_latency events: this kernel rejected program tapio_sched_switch",
                        "block_io_latency events: timed from block_rq_issue"),
                status.health().notes());
    }
}
