package io.tapio.bench.accuracy;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.history.LocalClusters;
import io.tapio.job.SourceSpec;
import io.tapio.job.TapioJob;
import io.tapio.model.Finding;
import io.tapio.model.Severity;
import io.tapio.rollup.RegressionConfig;
import io.tapio.testing.WorkloadCgroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * One run of the accuracy suite: Tapio's real pipeline on the eBPF source, the benign corpus
 * and the scenarios' real faults at the same time; then every incident of severity warning or
 * above that the pipeline reported, in any workload of the machine, is set against what was
 * made to happen.
 */
public final class AccuracyRun {
    /** Let the first events through, and the corpus settle, before faults start. */
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    /** After the last fault, time for its incident to come out and settle. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private static final Duration PROGRESS_EVERY = Duration.ofMinutes(1);

    /** An episode of severity warning or above, as its latest report tells it, with its first report. */
    public record Incident(long cgroupId, Finding first, Finding latest) {
        public String pattern() {
            return latest.pattern();
        }

        /** From its first occurrence to its last. */
        public double lastedSeconds() {
            return (latest.lastSeenEpochMillis() - latest.firstSeenEpochMillis()) / 1000.0;
        }

        /** {@code crash_loop app (cause missing_file /etc/app.yaml)}: as a report lists it. */
        @Override
        public String toString() {
            return latest.pattern() + " " + latest.subject()
                    + (latest.cause() == null
                            ? ""
                            : " (cause " + latest.cause().pattern() + " "
                                    + latest.cause().subject() + ")")
                    + ": " + latest.summary();
        }
    }

    /** What became of one scenario: the incidents of its workload. */
    public record Outcome(Scenario scenario, long cgroupId, long startedMillis, List<Incident> incidents) {
        /** The incident that is the one expected, or null. */
        public Incident found() {
            Scenario.Expected expected = scenario.expected();
            return incidents.stream()
                    .filter(i -> !expected.nothing()
                            && i.pattern().equals(expected.pattern())
                            && (expected.causePattern().isEmpty()
                                    || i.latest().cause() != null
                                            && i.latest().cause().pattern().equals(expected.causePattern())))
                    .findFirst()
                    .orElse(null);
        }

        /** From the fault's start to its incident's first report. */
        public long timeToFindingMillis() {
            return found().first().detectedEpochMillis() - startedMillis;
        }
    }

    /**
     * Everything the run saw.
     *
     * @param outcomes the scenarios', one each
     * @param benign the benign corpus's incidents, by program
     * @param outside incidents in the machine's other workloads
     * @param programHours how long the corpus ran, summed over its programs
     * @param benignRuns how many times its programs ran, all together
     * @param missing the corpus's programs this machine lacks
     * @param startedMillis when the corpus started (wall clock): the run's time zero
     */
    public record Result(
            List<Outcome> outcomes,
            Map<String, List<Incident>> benign,
            List<Incident> outside,
            double programHours,
            long benignRuns,
            List<String> missing,
            Filtering filtering,
            long startedMillis) {
        /** How far into the run an incident's first occurrence was. */
        public double secondsIntoRun(Incident incident) {
            return (incident.latest().firstSeenEpochMillis() - startedMillis) / 1000.0;
        }

        /** Whose workload an incident is in: a scenario's, a program of the corpus, or another. */
        public String workloadOf(Incident incident) {
            for (Outcome outcome : outcomes) {
                if (outcome.cgroupId() == incident.cgroupId()) {
                    return "scenario '" + outcome.scenario().name() + "'";
                }
            }
            for (Map.Entry<String, List<Incident>> program : benign.entrySet()) {
                if (program.getValue().contains(incident)) {
                    return "benign program '" + program.getKey() + "'";
                }
            }
            return "outside the experiment";
        }

        /** Whether a scenario that harms others explains an incident outside its workload. */
        public boolean explainedElsewhere(Incident incident) {
            return outcomes.stream()
                    .anyMatch(o -> o.scenario().harmsOthers()
                            && incident.pattern().equals(o.scenario().expected().pattern()));
        }

        /**
         * The incidents in a fault's workload that are its own: the one it must make and any
         * other that no scenario harming others explains (a CPU hog starves every workload on
         * its CPU, this one too).
         */
        public List<Incident> ownIncidents(Outcome outcome) {
            Incident found = outcome.found();
            return outcome.incidents().stream()
                    .filter(i -> i == found || !explainedElsewhere(i))
                    .toList();
        }
    }

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

    /** A run of the scenarios beside the benign corpus. */
    public static Result run(List<Scenario> scenarios, CorrelationConfig correlation, Consumer<String> progress)
            throws Exception {
        return run(scenarios, Duration.ZERO, correlation, progress);
    }

    /** A run of the benign corpus alone, for {@code length} after the pipeline reads the kernel. */
    public static Result benign(Duration length, CorrelationConfig correlation, Consumer<String> progress)
            throws Exception {
        return run(List.of(), length, correlation, progress);
    }

    private static Result run(
            List<Scenario> scenarios, Duration alone, CorrelationConfig correlation, Consumer<String> progress)
            throws Exception {
        try (LocalClusters clusters = LocalClusters.open()) {
            return run(
                    StreamExecutionEnvironment.createLocalEnvironment(2, clusters.configuration()),
                    scenarios,
                    alone,
                    correlation,
                    progress);
        }
    }

    private static Result run(
            StreamExecutionEnvironment env,
            List<Scenario> scenarios,
            Duration alone,
            CorrelationConfig correlation,
            Consumer<String> progress)
            throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
        CloseableIterator<Finding> collected = TapioJob.define(
                        env,
                        new SourceSpec.Ebpf(CollectorConfig.defaults()),
                        correlation,
                        RegressionConfig.defaults(),
                        null)
                .findings()
                .collectAsync();
        JobClient job = env.executeAsync("tapio-accuracy");
        CompletableFuture<JobExecutionResult> ended = job.getJobExecutionResult();
        Thread reader = Thread.ofPlatform().name("accuracy-findings").daemon().start(() -> {
            try {
                collected.forEachRemaining(findings::add);
            } catch (RuntimeException cancelled) {
                // the job is cancelled at the end of the run: nothing more will come
            }
        });
        Map<Scenario, Long> cgroups = new ConcurrentHashMap<>();
        Map<Scenario, Long> started = new ConcurrentHashMap<>();
        Map<String, Long> benign;
        double programHours;
        long benignRuns;
        List<String> missing;
        Filtering filtering;
        long startedMillis = System.currentTimeMillis();
        try (BenignCorpus corpus = new BenignCorpus(progress)) {
            awaitEvents(meters);
            progress.accept("pipeline reading the kernel");
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
                            scenario.fault().make(cgroup);
                        }
                        return null;
                    }));
                }
                for (Future<?> fault : running) {
                    fault.get();
                }
            }
            for (Duration left = alone; left.isPositive(); left = left.minus(PROGRESS_EVERY)) {
                progress.accept(String.format("benign corpus alone: %d s left", left.toSeconds()));
                Thread.sleep(left.compareTo(PROGRESS_EVERY) < 0 ? left : PROGRESS_EVERY);
            }
            progress.accept((scenarios.isEmpty() ? "corpus done" : "faults done") + "; waiting for incidents");
            benign = corpus.cgroupIds();
            programHours = corpus.programHours();
            benignRuns = corpus.runs();
            missing = corpus.missing();
        }
        Thread.sleep(SETTLE);
        try {
            filtering = filtering(meters);
        } finally {
            if (ended.isDone()) {
                ended.get(); // throws the job's failure: the figures would count a pipeline that was not there
                throw new IllegalStateException("the job ended before the run did");
            }
            job.cancel().get();
            collected.close();
            reader.join(10_000);
            Metrics.removeRegistry(meters);
        }
        return evaluate(
                scenarios,
                cgroups,
                started,
                benign,
                programHours,
                benignRuns,
                missing,
                findings,
                filtering,
                startedMillis);
    }

    private static Result evaluate(
            List<Scenario> scenarios,
            Map<Scenario, Long> cgroups,
            Map<Scenario, Long> started,
            Map<String, Long> benign,
            double programHours,
            long benignRuns,
            List<String> missing,
            List<Finding> findings,
            Filtering filtering,
            long startedMillis) {
        Map<Long, List<Incident>> byCgroup = new LinkedHashMap<>();
        for (Incident incident : incidents(findings)) {
            byCgroup.computeIfAbsent(incident.cgroupId(), k -> new ArrayList<>())
                    .add(incident);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            long id = cgroups.get(scenario);
            outcomes.add(new Outcome(scenario, id, started.get(scenario), byCgroup.getOrDefault(id, List.of())));
            byCgroup.remove(id);
        }
        Map<String, List<Incident>> benignIncidents = new LinkedHashMap<>();
        benign.forEach((program, id) -> benignIncidents.put(program, byCgroup.getOrDefault(id, List.of())));
        benign.values().forEach(byCgroup::remove);
        List<Incident> outside =
                byCgroup.values().stream().flatMap(List::stream).toList();
        return new Result(
                outcomes, benignIncidents, outside, programHours, benignRuns, missing, filtering, startedMillis);
    }

    /** Every episode that reached severity warning or above, as its latest report before it resolved. */
    private static List<Incident> incidents(List<Finding> findings) {
        Map<String, Finding> latest = new LinkedHashMap<>();
        Map<String, Finding> first = new LinkedHashMap<>();
        Map<String, Boolean> alarming = new LinkedHashMap<>();
        for (Finding f : List.copyOf(findings)) {
            first.putIfAbsent(f.episodeId(), f);
            if (f.status() != Finding.Status.RESOLVED) {
                latest.put(f.episodeId(), f);
                alarming.merge(f.episodeId(), f.severity().atLeast(Severity.WARNING), Boolean::logicalOr);
            }
        }
        List<Incident> incidents = new ArrayList<>();
        latest.forEach((episode, f) -> {
            if (alarming.get(episode)) {
                incidents.add(new Incident(f.workload().cgroup().id(), first.get(episode), f));
            }
        });
        return incidents;
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
