package io.tapio.bench.accuracy;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.job.SourceSpec;
import io.tapio.job.TapioJob;
import io.tapio.model.Finding;
import io.tapio.model.Severity;
import io.tapio.rollup.RegressionConfig;
import io.tapio.testing.WorkloadCgroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * One run of the accuracy suite: Tapio's real pipeline on the eBPF source, the benign
 * background, and the scenarios' real faults at the same time; then every finding of severity
 * warning or above is matched against what was injected.
 */
public final class AccuracyRun {
    /** Let the first events through, and the background settle, before faults start. */
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    /** After the last fault, time for its finding to come out. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    /**
     * What became of one scenario.
     *
     * @param found the first finding of the expected pattern in its workload; null if missed
     */
    public record Outcome(Scenario scenario, long cgroupId, long startedEpochMillis, Finding found) {
        public boolean detected() {
            return found != null;
        }

        /** From the fault's start to its finding. */
        public long timeToFindingMillis() {
            return found.detectedEpochMillis() - startedEpochMillis;
        }
    }

    /**
     * Only the run's own workloads count: its scenarios' cgroups and the benign background's.
     * Anything else on the machine is outside the experiment: reported, not counted.
     *
     * @param truePositives opened findings (warning or above) that name what was injected
     * @param falsePositives opened findings (warning or above) in the run's workloads that name
     *     anything else
     * @param outsideExperiment opened findings (warning or above) in other workloads of the machine
     */
    public record Result(
            List<Outcome> outcomes,
            List<Finding> truePositives,
            List<Finding> falsePositives,
            List<Finding> outsideExperiment,
            Filtering filtering) {}

    /**
     * How much of the kernel's activity reached the correlators, over the run.
     *
     * @param raw every event the programs considered
     * @param delivered written to the ring (the kernel's filters dropped the rest)
     * @param relevant left after the job's own filter
     */
    public record Filtering(long raw, long delivered, long relevant) {
        /** The share of raw events filtered out before the correlators. */
        public double filteredOut() {
            return raw == 0 ? 0 : 1 - (double) relevant / raw;
        }
    }

    private AccuracyRun() {}

    /** A run with the scenarios; with none, a benign-only run. */
    public static Result run(List<Scenario> scenarios, CorrelationConfig correlation, Consumer<String> progress)
            throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
        CloseableIterator<Finding> collected = TapioJob.define(
                        env,
                        new SourceSpec.Ebpf(CollectorConfig.defaults()),
                        correlation,
                        RegressionConfig.defaults(),
                        null)
                .findings()
                .collectAsync();
        JobClient job = env.executeAsync("tapio-accuracy");
        Thread reader = Thread.ofPlatform().name("accuracy-findings").daemon().start(() -> {
            try {
                collected.forEachRemaining(findings::add);
            } catch (RuntimeException cancelled) {
                // the job is cancelled at the end of the run: nothing more will come
            }
        });
        Map<Scenario, Long> cgroups = new ConcurrentHashMap<>();
        Map<Scenario, Long> started = new ConcurrentHashMap<>();
        long benign;
        Filtering filtering;
        try (Background background = new Background()) {
            benign = background.cgroupId();
            awaitEvents(meters);
            progress.accept("pipeline reading the kernel; benign background running");
            Thread.sleep(WARM_UP);
            try (ExecutorService faults = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (Scenario scenario : scenarios) {
                    running.add(faults.submit(() -> {
                        try (WorkloadCgroup cgroup = scenario.memoryLimitBytes() > 0
                                ? WorkloadCgroup.withMemoryLimit(scenario.memoryLimitBytes())
                                : WorkloadCgroup.create()) {
                            cgroups.put(scenario, cgroup.id());
                            started.put(scenario, System.currentTimeMillis());
                            scenario.run(cgroup);
                        }
                        return null;
                    }));
                }
                for (Future<?> fault : running) {
                    fault.get();
                }
            }
            progress.accept("faults done; waiting for their findings");
            Thread.sleep(SETTLE);
            filtering = filtering(meters);
        } finally {
            job.cancel().get();
            collected.close();
            reader.join(10_000);
            Metrics.removeRegistry(meters);
        }
        return evaluate(scenarios, cgroups, started, benign, List.copyOf(findings), filtering);
    }

    private static Result evaluate(
            List<Scenario> scenarios,
            Map<Scenario, Long> cgroups,
            Map<Scenario, Long> started,
            long benign,
            List<Finding> findings,
            Filtering filtering) {
        List<Finding> opened = findings.stream()
                .filter(f -> f.status() == Finding.Status.OPEN && f.severity().atLeast(Severity.WARNING))
                .toList();
        List<Outcome> outcomes = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            long id = cgroups.get(scenario);
            Finding found = opened.stream()
                    .filter(f -> f.workload().cgroup().id() == id && f.pattern().equals(scenario.expectedPattern()))
                    .findFirst()
                    .orElse(null);
            outcomes.add(new Outcome(scenario, id, started.get(scenario), found));
        }
        java.util.Set<Long> ours = new java.util.HashSet<>(cgroups.values());
        ours.add(benign);
        List<Finding> truePositives = new ArrayList<>();
        List<Finding> falsePositives = new ArrayList<>();
        List<Finding> outside = new ArrayList<>();
        for (Finding f : opened) {
            if (!ours.contains(f.workload().cgroup().id())) {
                outside.add(f);
            } else if (scenarios.stream().anyMatch(s -> explains(s, cgroups.get(s), f))) {
                truePositives.add(f);
            } else {
                falsePositives.add(f);
            }
        }
        return new Result(outcomes, truePositives, falsePositives, outside, filtering);
    }

    /** Whether an injected fault makes this finding (in one of the run's workloads) true. */
    static boolean explains(Scenario scenario, long cgroupId, Finding finding) {
        if (finding.workload().cgroup().id() == cgroupId) {
            return finding.pattern().equals(scenario.expectedPattern())
                    || scenario.alsoTrue().contains(finding.pattern());
        }
        return scenario.harmsOthers() && finding.pattern().equals(scenario.expectedPattern());
    }

    private static Filtering filtering(SimpleMeterRegistry meters) {
        return new Filtering(
                Math.round(sum(meters, MetricNames.KERNEL_EVENTS, null)),
                Math.round(sum(meters, MetricNames.KERNEL_EVENTS, "emitted")),
                Math.round(sum(meters, MetricNames.EVENTS_RELEVANT, null)));
    }

    private static double sum(SimpleMeterRegistry meters, String name, String disposition) {
        var search = disposition == null ? meters.find(name) : meters.find(name).tag("disposition", disposition);
        return search.meters().stream()
                .mapToDouble(m -> switch (m) {
                    case io.micrometer.core.instrument.Counter c -> c.count();
                    case io.micrometer.core.instrument.FunctionCounter c -> c.count();
                    default -> 0;
                })
                .sum();
    }

    /** Until the job has seen kernel events: the programs are attached and read. */
    private static void awaitEvents(SimpleMeterRegistry meters) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Processes.run(List.of("/bin/true"));
            if (meters.find(MetricNames.EVENTS_PROCESSED).counters().stream()
                            .mapToDouble(c -> c.count())
                            .sum()
                    > 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the pipeline saw no kernel event within 60 s");
    }
}
