package io.tapio.bench.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.tapio.bench.WorkDirectory;
import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.PathRule;
import io.tapio.ebpf.metrics.DropReason;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.source.ebpf.Coalescing;
import io.tapio.ebpf.source.ebpf.EbpfSourceOptions;
import io.tapio.export.FindingExports;
import io.tapio.job.SourceSpec;
import io.tapio.local.LocalTapio;
import io.tapio.local.RunOptions;
import io.tapio.rollup.RegressionConfig;
import io.tapio.status.TapioStatus;
import io.tapio.testing.FailedOpenLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The whole local job on the eBPF source, driven by a failed-open load at fixed rates: the
 * events per second that entered the job, what was lost, the latency from the kernel's
 * timestamp to the end of the job, and what the job cost in CPU and heap allocation, per rate.
 * The load runs in this process, so its threads' CPU (their system calls and the programs on
 * openat in them) and allocations are taken out of the process's; what remains is the job's,
 * its catching up in the 200 ms after the step included.
 */
public final class JobBenchmark {
    /** Let the job settle (JIT, first checkpoint) before measuring a rate. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    private static final Duration SETTLE = Duration.ofSeconds(2);

    /**
     * @param rates the load's rates in opens per second; 0 means as fast as it can
     * @param step how long each rate is measured
     * @param pacingStep how the load keeps to its rate ({@link FailedOpenLoad#start(int, long, Duration)})
     * @param coalescing how long records gather on the busy ring before the job reads them
     * @param readerSlice the scheduler slice the reader's threads ask for; zero leaves the scheduler's
     */
    public record Options(
            List<Long> rates,
            Duration step,
            int loadThreads,
            Duration pacingStep,
            Coalescing coalescing,
            Duration readerSlice) {
        public static Options defaults() {
            return new Options(
                    List.of(10_000L, 100_000L, 500_000L, 0L),
                    Duration.ofSeconds(10),
                    1,
                    FailedOpenLoad.DEFAULT_PACING_STEP,
                    Coalescing.DEFAULT,
                    EbpfSourceOptions.DEFAULT_READER_SLICE);
        }
    }

    /**
     * One rate: what entered the job, what was lost before it, the latency quantiles (in
     * seconds, kernel timestamp to the end of the job) over {@code latencySamples} events, the
     * batch sizes the source's and the correlator's adaptive batchers had chosen, the job's CPU
     * and the heap it allocated per event that entered it, the garbage collections in the step
     * (the load allocates next to nothing: its path once), and where the latency went, stage by
     * stage.
     */
    public record Step(
            long targetRate,
            double eventsPerSecond,
            long lostInRing,
            long latencySamples,
            Double p50,
            Double p99,
            Double p999,
            double sourceBatch,
            double correlatorBatch,
            double jobCpuCores,
            double jobBytesPerEvent,
            GarbageCollections collections,
            List<LatencyBudget.Row> budget) {
        /** The job's CPU time per event that entered it, in seconds. */
        public double jobCpuPerEvent() {
            return eventsPerSecond == 0 ? 0 : jobCpuCores / eventsPerSecond;
        }
    }

    private JobBenchmark() {}

    /** The mean of a gauge over its instances (one per subtask). */
    private static double gauge(String name) {
        return Metrics.globalRegistry.find(name).gauges().stream()
                .mapToDouble(Gauge::value)
                .average()
                .orElse(0);
    }

    public static List<Step> run(Options options, Consumer<String> progress) throws Exception {
        List<Step> steps = new ArrayList<>();
        try (WorkDirectory dataDir = WorkDirectory.create("tapio-bench");
                FailedOpenLoad load = new FailedOpenLoad();
                LocalTapio tapio = LocalTapio.start(new RunOptions(
                        new SourceSpec.Ebpf(
                                CollectorConfig.builder()
                                        .addPathRule(PathRule.report(load.pathPrefix()))
                                        .build(),
                                options.coalescing(),
                                options.readerSlice()),
                        null,
                        dataDir.path(),
                        0,
                        0,
                        0,
                        null,
                        Duration.ofSeconds(10),
                        CorrelationConfig.defaults(),
                        RegressionConfig.defaults(),
                        null,
                        FindingExports.NONE,
                        true))) {
            progress.accept("warming up");
            load.start(options.loadThreads(), 50_000);
            Thread.sleep(WARM_UP);
            load.stop();
            Thread.sleep(SETTLE); // what the warm-up left in the ring does not count in the first rate
            LatencyBudget budget = new LatencyBudget(Metrics.globalRegistry);
            for (long rate : options.rates()) {
                budget.open(); // with the status, opens the measuring window
                TapioStatus before = tapio.refresh();
                ProcessUse usedBefore = ProcessUse.now().without(load);
                load.start(options.loadThreads(), rate, options.pacingStep());
                Thread.sleep(options.step());
                load.stop();
                Thread.sleep(200); // what is in flight reaches the end of the job
                ProcessUse job = ProcessUse.now().without(load).since(usedBefore);
                if (!tapio.jobRunning()) {
                    throw new IllegalStateException(
                            "the job stopped at " + rate + " events/s: " + tapio.failureMessage());
                }
                List<LatencyBudget.Row> stages = budget.close();
                TapioStatus after = tapio.refresh();
                TapioStatus.Latency latency = after.latency();
                long entered = after.eventsProcessed() - before.eventsProcessed();
                Step step = new Step(
                        rate,
                        entered / (options.step().toNanos() / 1e9),
                        after.drops().getOrDefault(DropReason.RING_FULL.label(), 0L)
                                - before.drops().getOrDefault(DropReason.RING_FULL.label(), 0L),
                        latency.samples(),
                        latency.p50(),
                        latency.p99(),
                        latency.p999(),
                        gauge(MetricNames.SOURCE_BATCH_SIZE),
                        gauge(MetricNames.CORRELATOR_BATCH_SIZE),
                        (double) job.cpuNanos() / options.step().toNanos(),
                        entered == 0 ? 0 : (double) job.allocatedBytes() / entered,
                        job.collections(),
                        stages);
                progress.accept(String.format(
                        "%-10s %,12.0f events/s into the job, p99 %s, the job's CPU %.0f%% of a core, %,.0f B per event",
                        rate == 0 ? "max" : rate,
                        step.eventsPerSecond(),
                        step.p99() == null ? "-" : String.format("%.0f µs", step.p99() * 1e6),
                        step.jobCpuCores() * 100,
                        step.jobBytesPerEvent()));
                steps.add(step);
            }
        }
        return steps;
    }
}
