package io.tapio.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.ebpf.metrics.Stage;
import io.tapio.ebpf.source.ebpf.Coalescing;
import io.tapio.ebpf.source.ebpf.EbpfSourceOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * {@code tapio bench job} on the real BPF programs and a real MiniCluster: the latency budget it
 * prints names each stage of an event's path in order, measured on the same events. (Its
 * timings are printed by the bench, not asserted here.)
 */
class JobBenchmarkTest {
    @Test
    void theLatencyBudgetFollowsEachEventFromTheRingToTheEndOfTheJob() throws Exception {
        List<String> progress = new ArrayList<>();
        List<JobBenchmark.Step> steps = JobBenchmark.run(
                new JobBenchmark.Options(
                        List.of(2_000L),
                        Duration.ofSeconds(3),
                        1,
                        Duration.ofNanos(20_000),
                        Coalescing.DEFAULT,
                        EbpfSourceOptions.DEFAULT_READER_SLICE),
                progress::add);

        JobBenchmark.Step step = steps.getFirst();
        assertThat(step.eventsPerSecond()).isGreaterThan(1_000);
        // The job's CPU, the load's taken out: some, and no more than the machine has.
        assertThat(step.jobCpuCores())
                .isPositive()
                .isLessThan(Runtime.getRuntime().availableProcessors());
        // The heap it allocated, the load's taken out: measured (the JVM counts it), not -1.
        assertThat(step.jobBytesPerEvent()).isPositive();
        List<LatencyBudget.Row> budget = step.budget();
        // Node-local: no keyed exchange, so no stage before one.
        assertThat(budget)
                .extracting(LatencyBudget.Row::stage)
                .containsExactly(Stage.RING, Stage.SOURCE, Stage.CORRELATOR, Stage.BATCHED, Stage.END);
        assertThat(budget)
                .extracting(LatencyBudget.Row::work)
                .containsExactly("ring wait", "decode", "filter, enrich", "correlator wait (batching)", "correlation");
        LatencyBudget.Row ring = budget.getFirst();
        assertThat(ring.ownP50()).isEqualTo(ring.p50());
        // The same events are sampled at every stage, and each is later on its path than the one before.
        LatencyBudget.Row arrived = budget.get(2);
        LatencyBudget.Row end = budget.getLast();
        assertThat(end.samples()).isCloseTo(arrived.samples(), Percentage.withPercentage(5));
        for (int i = 3; i < budget.size(); i++) {
            assertThat(budget.get(i).p50())
                    .as("p50 at %s", budget.get(i).stage())
                    .isGreaterThanOrEqualTo(budget.get(i - 1).p50());
            assertThat(budget.get(i).ownP50())
                    .isEqualTo(budget.get(i).p50() - budget.get(i - 1).p50());
        }
    }
}
