package io.tapio.cli;

import io.tapio.bench.Spread;
import io.tapio.bench.accuracy.AccuracyReport;
import io.tapio.bench.accuracy.AccuracyRun;
import io.tapio.bench.accuracy.Scenarios;
import io.tapio.bench.collector.CollectorBenchmark;
import io.tapio.bench.collector.CollectorSummary;
import io.tapio.bench.enrich.EnrichmentBenchmark;
import io.tapio.bench.job.CapacityBenchmark;
import io.tapio.bench.job.JobBenchmark;
import io.tapio.bench.micro.MicroBenchmarks;
import io.tapio.bench.node.ChurnBenchmark;
import io.tapio.bench.node.NodeBenchmark;
import io.tapio.bench.overhead.OverheadBenchmark;
import io.tapio.bench.overhead.ProgramCost;
import io.tapio.bench.overhead.Variant;
import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.SafeText;
import io.tapio.history.BenchRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tapio bench}: Tapio's own benchmarks, run on this machine, reported as medians. */
@Command(
        name = "bench",
        description = "Benchmarks on this machine (root; real BPF programs). Figures are medians of rounds.",
        subcommands = {
            BenchCommand.Job.class,
            BenchCommand.Accuracy.class,
            BenchCommand.Collector.class,
            BenchCommand.Overhead.class,
            BenchCommand.Node.class,
            BenchCommand.Churn.class,
            BenchCommand.Enrich.class,
            BenchCommand.Micro.class
        })
final class BenchCommand {
    private BenchCommand() {}

    @Command(
            name = "job",
            mixinStandardHelpOptions = true,
            description = {
                "The whole local job on the eBPF source under a failed-open load at fixed rates: events/s "
                        + "into the job, events lost in the ring, p50/p99/p999 latency from the kernel's timestamp to "
                        + "the end of the job (through the correlator), the batch sizes the adaptive batchers chose, "
                        + "and the job's CPU (the load's taken out); per rate, the latency budget: p50/p99 from the kernel to each stage of the job and each "
                        + "stage's share.",
                "With --capacity: the job's own capacity, apart from any load generator: the whole job replays a "
                        + "capture (--capture, or one it makes of synthetic events) as fast as it can take it, "
                        + "correlation on; events/s and CPU seconds per million events, per round and their median. "
                        + "Needs no root.",
                "Targets on a 2-core machine: >= 1 M events/s; p99 < 500 µs at 100 k/s."
            })
    static final class Job implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--rates",
                split = ",",
                defaultValue = "10000,100000,500000,0",
                description = "Load rates in events/s, 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
        List<Long> rates;

        @Option(
                names = "--step-seconds",
                defaultValue = "10",
                description = "Seconds per rate (default: ${DEFAULT-VALUE}).")
        int stepSeconds;

        @Option(
                names = "--load-threads",
                defaultValue = "1",
                description = "Threads making failed opens (default: ${DEFAULT-VALUE}).")
        int loadThreads;

        @Option(
                names = "--pacing-step",
                defaultValue = "1ms",
                converter = DurationConverter.class,
                description = "How the load keeps to its rate: a thread ahead of it sleeps this long. 1ms makes "
                        + "bursts of the system call's own speed (100 opens back to back at 100,000/s); 20us comes "
                        + "close to a steady rate (default: ${DEFAULT-VALUE}).")
        Duration pacingStep;

        @Mixin
        RingReaderOptions ringReader = new RingReaderOptions();

        @Option(
                names = "--capacity",
                description = "Measure the job's own capacity from a capture instead of the eBPF source at rates.")
        boolean capacity;

        @Option(
                names = "--capture",
                paramLabel = "FILE",
                description = "With --capacity: the capture to replay (from tapio record); default: one of synthetic "
                        + "events, made for the run.")
        Path capture;

        @Option(
                names = "--capture-events",
                defaultValue = "2000000",
                description =
                        "With --capacity and no --capture: events in the capture made (default: ${DEFAULT-VALUE}).")
        long captureEvents;

        @Option(
                names = "--rounds",
                defaultValue = "3",
                description =
                        "With --capacity: runs of the job over the capture, measured (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(
                names = "--warm-up-rounds",
                defaultValue = "1",
                description = "With --capacity: runs of the job over the capture before those measured, shown but not "
                        + "in the median: the JIT compiling the job (default: ${DEFAULT-VALUE}).")
        int warmUpRounds;

        @Mixin
        BenchRecording recording = new BenchRecording();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (capacity) {
                return capacity(out);
            }
            List<JobBenchmark.Step> steps = JobBenchmark.run(
                    new JobBenchmark.Options(
                            rates,
                            Duration.ofSeconds(stepSeconds),
                            loadThreads,
                            pacingStep,
                            ringReader.coalescing(),
                            ringReader.slice),
                    progress(out));
            out.printf(
                    "%nThe job on the eBPF source, %d s per rate, %d load thread(s) paced in steps of %s, records "
                            + "gathering for %s on a busy ring, the reader asking for scheduler slices of %s%n",
                    stepSeconds,
                    loadThreads,
                    micros(pacingStep.toNanos() / 1e9),
                    micros(ringReader.delay.toNanos() / 1e9),
                    micros(ringReader.slice.toNanos() / 1e9));
            Table table = new Table(
                    "load (events/s)",
                    "into the job (events/s)",
                    "lost in ring",
                    "p50",
                    "p99",
                    "p999",
                    "latency samples",
                    "source batch",
                    "correlator batch",
                    "job CPU (% of a core)",
                    "job CPU per event",
                    "job heap per event",
                    "GCs",
                    "in GC");
            for (JobBenchmark.Step s : steps) {
                table.row(
                        s.targetRate() == 0 ? "max" : String.format("%,d", s.targetRate()),
                        String.format("%,.0f", s.eventsPerSecond()),
                        s.lostInRing(),
                        micros(s.p50()),
                        micros(s.p99()),
                        micros(s.p999()),
                        String.format("%,d", s.latencySamples()),
                        String.format("%.0f", s.sourceBatch()),
                        String.format("%.0f", s.correlatorBatch()),
                        String.format("%.1f", s.jobCpuCores() * 100),
                        String.format("%.2f µs", s.jobCpuPerEvent() * 1e6),
                        String.format("%,.0f B", s.jobBytesPerEvent()),
                        String.valueOf(s.collections().count()),
                        String.format("%,d ms", s.collections().millis()));
            }
            out.print(table);
            for (JobBenchmark.Step s : steps) {
                out.printf(
                        "%nLatency budget at %s: from the kernel's timestamp to each stage; a stage's share is "
                                + "the increase over the stage above%n",
                        rateLabel(s));
                Table budget = new Table(
                        "stage", "since the stage above", "samples", "p50", "p99", "share of p50", "share of p99");
                s.budget()
                        .forEach(r -> budget.row(
                                r.stage().label(),
                                r.work(),
                                String.format("%,d", r.samples()),
                                micros(r.p50()),
                                micros(r.p99()),
                                micros(r.ownP50()),
                                micros(r.ownP99())));
                out.print(budget);
            }
            Map<String, String> parameters = Map.of(
                    "step_seconds",
                    String.valueOf(stepSeconds),
                    "load_threads",
                    String.valueOf(loadThreads),
                    "pacing_step_micros",
                    String.valueOf(pacingStep.toNanos() / 1_000),
                    "ring_coalescing_micros",
                    String.valueOf(ringReader.delay.toNanos() / 1_000),
                    "ring_reader_slice_micros",
                    String.valueOf(ringReader.slice.toNanos() / 1_000));
            List<BenchRun> runs = new java.util.ArrayList<>();
            for (JobBenchmark.Step s : steps) {
                String rate = s.targetRate() == 0 ? "max" : s.targetRate() + "/s";
                Map<String, String> withCost = new HashMap<>(parameters);
                withCost.put("job_cpu_percent", String.format("%.1f", s.jobCpuCores() * 100));
                withCost.put("job_bytes_per_event", String.format("%.0f", s.jobBytesPerEvent()));
                withCost.put("gc_count", String.valueOf(s.collections().count()));
                withCost.put("gc_millis", String.valueOf(s.collections().millis()));
                runs.add(recording.run.run(
                        "job", rate, s.eventsPerSecond(), s.p50(), s.p99(), s.p999(), s.lostInRing(), withCost));
                s.budget()
                        .forEach(r -> runs.add(recording.run.run(
                                "job",
                                rate + " stage " + r.stage().label(),
                                null,
                                r.p50(),
                                r.p99(),
                                null,
                                null,
                                parameters)));
            }
            recording.record(runs, out);
            return 0;
        }

        private int capacity(PrintWriter out) throws Exception {
            if (capture != null) {
                CaptureFiles.requireReadable(capture); // the benchmark reads it whole before any round
            }
            CapacityBenchmark.Result result = CapacityBenchmark.run(
                    new CapacityBenchmark.Options(capture, captureEvents, warmUpRounds, rounds), progress(out));
            out.printf(
                    "%nThe job's own capacity: %s of %,d events replayed as fast as the job takes them, "
                            + "correlation on, %d round(s) after %d to warm up%n",
                    capture == null ? "a synthetic capture" : capture, result.captureEvents(), rounds, warmUpRounds);
            Table table = new Table("round", "events/s", "CPU s per million events", "heap per event");
            for (int r = 0; r < result.warmUp().size(); r++) {
                capacityRow(table, "warm-up " + (r + 1), result.warmUp().get(r));
            }
            for (int r = 0; r < result.rounds().size(); r++) {
                capacityRow(table, String.valueOf(r + 1), result.rounds().get(r));
            }
            table.row(
                    "median",
                    String.format("%,.0f", result.eventsPerSecond()),
                    String.format("%.2f", result.cpuSecondsPerMillionEvents()),
                    String.format("%,.0f B", result.bytesPerEvent()));
            out.print(table);
            out.println(
                    result.everyEventEntered()
                            ? "every event of the capture entered the job: yes"
                            : "EVENTS MISSING: a round took fewer events than the capture holds");
            recording.record(
                    List.of(recording.run.run(
                            "job",
                            "capacity",
                            result.eventsPerSecond(),
                            null,
                            null,
                            null,
                            null,
                            Map.of(
                                    "capture",
                                    capture == null ? "synthetic" : capture.toString(),
                                    "capture_events",
                                    String.valueOf(result.captureEvents()),
                                    "rounds",
                                    String.valueOf(rounds),
                                    "warm_up_rounds",
                                    String.valueOf(warmUpRounds),
                                    "cpu_seconds_per_million_events",
                                    String.format("%.3f", result.cpuSecondsPerMillionEvents()),
                                    "bytes_per_event",
                                    String.format("%.0f", result.bytesPerEvent())))),
                    out);
            return result.everyEventEntered() ? 0 : 1;
        }

        private static void capacityRow(Table table, String name, CapacityBenchmark.Round round) {
            table.row(
                    name,
                    String.format("%,.0f", round.eventsPerSecond()),
                    String.format("%.2f", round.cpuSecondsPerMillionEvents()),
                    String.format("%,.0f B", round.bytesPerEvent()));
        }

        private static String rateLabel(JobBenchmark.Step s) {
            return s.targetRate() == 0 ? "the most the load makes" : String.format("%,d events/s", s.targetRate());
        }

        private static String micros(Double seconds) {
            return seconds == null ? "-" : String.format("%,.0f µs", seconds * 1e6);
        }
    }

    @Command(
            name = "accuracy",
            mixinStandardHelpOptions = true,
            description = {
                "The fault suite: real faults made on this machine (an OOM crash loop, crash loops with and without "
                        + "a cause, a script failing on a missing or forbidden file, a SIGKILL from another process, a "
                        + "dependency that refuses connections, a CPU hog, packet loss), things that must stay silent (a "
                        + "SIGTERM stop, a process killing itself), and a benign corpus of real programs beside them "
                        + "(interpreters, HTTP clients, a compiler and a build, git, package queries, scripts, waiting "
                        + "loops, health checks), each in a cgroup of its own, read by the real BPF programs and pipeline.",
                "Every incident of severity warning or above anywhere on the machine is counted. Prints recall, "
                        + "precision, incidents per fault, false incidents per benign program-hour and time to finding. "
                        + "Targets: recall 100%%, precision >= 99%%, exactly one incident per fault, none from the "
                        + "silent scenarios or the corpus.",
                "Exit status 0 when the targets are met."
            })
    static final class Accuracy implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--runs",
                defaultValue = "3",
                description = "Runs with the faults beside the benign corpus (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(
                names = "--benign-runs",
                defaultValue = "1",
                description = "Runs of the benign corpus alone (default: ${DEFAULT-VALUE}).")
        int benignRuns;

        @Option(
                names = "--benign-length",
                defaultValue = "10m",
                converter = DurationConverter.class,
                description = "How long each benign run lasts (default: ${DEFAULT-VALUE}: CPU starvation's default "
                        + "rule judges a workload only after 5 minutes of its history).")
        Duration benignLength;

        @Option(
                names = "--benign-rules",
                defaultValue = "default",
                paramLabel = "default|suite",
                description = "The rules of the benign runs: default (tapio run's, the default) or suite (the fault "
                        + "runs' own, whose CPU starvation judges a 5 s window against the 20 s before it).")
        String benignRules;

        @Override
        public Integer call() throws Exception {
            CorrelationConfig benignCorrelation = switch (benignRules) {
                case "suite" -> Scenarios.correlation();
                case "default" -> CorrelationConfig.defaults();
                default ->
                    throw new ParameterException(
                            spec.commandLine(), "--benign-rules is suite or default, not '" + benignRules + "'");
            };
            PrintWriter out = spec.commandLine().getOut();
            List<AccuracyRun.Result> faults = new java.util.ArrayList<>();
            List<AccuracyRun.Result> benign = new java.util.ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                out.printf("fault run %d/%d%n", r, runs);
                faults.add(AccuracyRun.run(Scenarios.all(), Scenarios.correlation(), progress(out)));
            }
            for (int r = 1; r <= benignRuns; r++) {
                out.printf("benign run %d/%d%n", r, benignRuns);
                benign.add(AccuracyRun.benign(benignLength, benignCorrelation, progress(out)));
            }
            AccuracyReport report = new AccuracyReport(faults, benign);
            out.printf(
                    "%nAccuracy over %d fault run(s) and %d benign run(s) of %d s with the %s rules%n",
                    runs, benignRuns, benignLength.toSeconds(), benignRules);
            out.printf(
                    "  %-52s %-44s %-8s %-10s %s%n", "scenario", "must make", "found", "incidents", "time to finding");
            report.byScenario().forEach((scenario, line) -> out.printf("  %-52s %s%n", scenario, line));
            List<Integer> perFault = report.incidentsPerFault();
            out.printf(
                    "recall                 %.1f%% (%d of %d injected faults found)%n",
                    100 * report.recall(), report.detected(), report.injected());
            out.printf(
                    "precision              %.1f%% (%d true, %d false incidents of severity warning or above, "
                            + "anywhere on the machine)%n",
                    100 * report.precision(),
                    report.trueIncidents(),
                    report.falseIncidents().size());
            out.printf(
                    "incidents per fault    %.2f (min %d, max %d)%n",
                    perFault.stream().mapToInt(Integer::intValue).average().orElse(0),
                    perFault.stream().mapToInt(Integer::intValue).min().orElse(0),
                    perFault.stream().mapToInt(Integer::intValue).max().orElse(0));
            out.printf("silent scenarios       %d incident(s)%n", report.silentIncidents());
            out.printf(
                    "benign corpus          %d incident(s) in %.2f program-hours: %.1f per program-hour%n",
                    report.benignIncidents().size(),
                    report.benignProgramHours(),
                    report.falseIncidentsPerBenignProgramHour());
            report.falseIncidents().forEach(i -> out.printf("  false: %s%n", SafeText.of(i.toString())));
            faults.stream()
                    .flatMap(r -> r.missing().stream())
                    .distinct()
                    .forEach(m -> out.printf("  not run (this machine lacks it): %s%n", m));
            List<Long> latencies = report.pipelineLatenciesNanos();
            if (!latencies.isEmpty()) {
                out.printf(
                        "pipeline latency, kernel event to an incident's first report: p50 %.2f ms, max %.2f ms (%d incidents)%n",
                        latencies.get(latencies.size() / 2) / 1e6, latencies.getLast() / 1e6, latencies.size());
            }
            faults.forEach(r -> out.printf(
                    "filtering: %,d raw kernel events, %,d delivered by the kernel, %,d relevant: "
                            + "%.2f%% filtered out before the correlators%n",
                    r.filtering().raw(),
                    r.filtering().delivered(),
                    r.filtering().relevant(),
                    100 * r.filtering().filteredOut()));
            out.println(report.meetsTargets() ? "targets met" : "TARGETS MISSED");
            return report.meetsTargets() ? 0 : 1;
        }
    }

    @Command(
            name = "collector",
            mixinStandardHelpOptions = true,
            description = {
                "Kernel-to-Java throughput: a failed-open load generator against the real programs, "
                        + "read by Tapio's mapped reader and by libbpf's callback consumer in alternating rounds.",
                "Prints events/s, drops, unaccounted events (must be 0), and a drain of a pre-filled ring."
            })
    static final class Collector implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--rounds",
                defaultValue = "3",
                description = "Rounds per consumer (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(
                names = "--round-seconds",
                defaultValue = "5",
                description = "Load per sustained round (default: ${DEFAULT-VALUE} s).")
        int roundSeconds;

        @Option(
                names = "--load-threads",
                defaultValue = "1",
                description = "Threads making failed opens (default: ${DEFAULT-VALUE}).")
        int loadThreads;

        @Option(
                names = "--ring-mib",
                defaultValue = "16",
                description = "Ring size for the sustained rounds (default: ${DEFAULT-VALUE} MiB).")
        int ringMib;

        @Option(
                names = "--drain-ring-mib",
                defaultValue = "256",
                description = "Ring size for the drain rounds, filled to 90%% (default: ${DEFAULT-VALUE} MiB).")
        int drainRingMib;

        @Mixin
        BenchRecording recording = new BenchRecording();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            var options = new CollectorBenchmark.Options(
                    Duration.ofSeconds(roundSeconds), rounds, loadThreads, ringMib << 20, drainRingMib << 20);
            List<CollectorBenchmark.SustainedRound> sustained = CollectorBenchmark.sustained(options, progress(out));
            List<CollectorBenchmark.DrainRound> drain = CollectorBenchmark.drain(options, progress(out));
            CollectorSummary summary = CollectorSummary.of(sustained, drain);

            out.printf(
                    "%nSustained: %d rounds of %d s per consumer, %d load thread(s), %d MiB ring%n",
                    rounds, roundSeconds, loadThreads, ringMib);
            Table table = new Table("consumer", "events/s (median)", "lost (sum)", "unaccounted (sum)");
            summary.sustained()
                    .forEach((consumer, s) -> table.row(
                            consumer.label(), String.format("%,.0f", s.eventsPerSecond()), s.lost(), s.unaccounted()));
            out.print(table);
            out.printf("ratio java-mmap / libbpf-callback: %.2f%n", summary.sustainedRatio());

            out.printf(
                    "%nDrain: a %d MiB ring filled to 90%%, read to the end, %d rounds per consumer%n",
                    drainRingMib, rounds);
            Table drainTable = new Table("consumer", "records/s (median)");
            summary.drainRecordsPerSecond()
                    .forEach((consumer, rate) -> drainTable.row(consumer.label(), String.format("%,.0f", rate)));
            out.print(drainTable);
            out.printf("ratio java-mmap / libbpf-callback: %.2f%n", summary.drainRatio());
            out.println(
                    summary.accounted()
                            ? "every event delivered or counted as lost: yes"
                            : "UNACCOUNTED EVENTS: see the rounds above");
            recording.record(records(summary), out);
            return summary.accounted() ? 0 : 1;
        }

        /** Per consumer, the medians: sustained events/s with the events lost, and drained records/s. */
        private List<BenchRun> records(CollectorSummary summary) {
            Map<String, String> parameters = Map.of(
                    "rounds",
                    String.valueOf(rounds),
                    "round_seconds",
                    String.valueOf(roundSeconds),
                    "load_threads",
                    String.valueOf(loadThreads),
                    "ring_mib",
                    String.valueOf(ringMib),
                    "drain_ring_mib",
                    String.valueOf(drainRingMib));
            List<BenchRun> runs = new java.util.ArrayList<>();
            summary.sustained()
                    .forEach((consumer, s) -> runs.add(recording.run.run(
                            "collector",
                            "sustained " + consumer.label(),
                            s.eventsPerSecond(),
                            null,
                            null,
                            null,
                            s.lost(),
                            parameters)));
            summary.drainRecordsPerSecond()
                    .forEach((consumer, rate) -> runs.add(recording.run.run(
                            "collector", "drain " + consumer.label(), rate, null, null, null, null, parameters)));
            return runs;
        }
    }

    @Command(
            name = "enrich",
            mixinStandardHelpOptions = true,
            description = {
                "What naming an event's workload costs: pod cgroups created with kubelet's names (both "
                        + "cgroup drivers), a process started in each and read by the real BPF programs, each event "
                        + "named by the job's resolver. Prints the share of the pods' events named as their pod, the "
                        + "cache hit ratio, the cost per event of a known cgroup and of a new one.",
                "Without an API server a pod is named from its cgroup path (uid, container, runtime, QoS); the "
                        + "names from the API come from the informer's cache. Target: 100%% of the pods' events named.",
                "Exit status 0 when every event of the pods was named as its pod."
            })
    static final class Enrich implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--pods",
                defaultValue = "100",
                description = "Pod cgroups to create (default: ${DEFAULT-VALUE}).")
        int pods;

        @Option(
                names = "--rounds",
                defaultValue = "31",
                description = "Timed rounds of 200,000 events of known cgroups (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            EnrichmentBenchmark.Result r =
                    EnrichmentBenchmark.run(new EnrichmentBenchmark.Options(pods, rounds), progress(out));
            out.printf("%nEnrichment: %d pod cgroups (systemd and cgroupfs drivers), named from their paths%n", pods);
            Table table = new Table("measure", "value");
            table.row("events read (exec, exit)", String.format("%,d", r.events()));
            table.row(
                    "events of the pods' processes named as their pod",
                    String.format(
                            "%,d of %,d (%.1f%%)",
                            r.podEventsNamed(),
                            r.podEvents(),
                            100.0 * r.podEventsNamed() / Math.max(1, r.podEvents())));
            table.row("cache hit ratio over the stream", String.format("%.3f", r.hitRatio()));
            table.row("known cgroup, per event (median of rounds)", String.format("%.0f ns", r.nanosPerKnownEvent()));
            table.row(
                    "new cgroup, file-handle lookup (median of pods)",
                    String.format("%.1f µs", r.microsPerNewCgroup()));
            out.print(table);
            return r.podEvents() > 0 && r.podEventsNamed() == r.podEvents() ? 0 : 1;
        }
    }

    @Command(
            name = "overhead",
            mixinStandardHelpOptions = true,
            description = {
                "The cost to the node: realistic workloads timed without and with the programs attached, "
                        + "in alternating rounds. Target: under 1%% slower.",
                "Where the slowdown goes: each program's runs per workload run, ns per run and CPU as a share of "
                        + "the untraced time (the kernel's run-time statistics, on only while a traced run lasts); "
                        + "and variants of the traced run in the same rounds: the ring read on a 10 ms timer "
                        + "instead of the reader being woken by the next record, the ring not read at all, and each "
                        + "group of programs left out, with the reader's wakeups and CPU per run."
            })
    static final class Overhead implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--rounds",
                defaultValue = "5",
                description = "Rounds per workload (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(
                names = "--spawns",
                defaultValue = "1000",
                description = "Processes per shell-loop run (default: ${DEFAULT-VALUE}).")
        int spawns;

        @Option(
                names = "--sources",
                defaultValue = "48",
                description = "C files per build run (default: ${DEFAULT-VALUE}).")
        int sources;

        @Option(
                names = "--http-requests",
                defaultValue = "20000",
                description = "Requests per HTTP run (default: ${DEFAULT-VALUE}).")
        int httpRequests;

        @Option(
                names = "--workloads",
                split = ",",
                defaultValue = "spawn-loop,build,http",
                description = "Workloads to run (default: ${DEFAULT-VALUE}).")
        List<String> workloads;

        @Option(
                names = "--leave-out",
                split = ",",
                defaultValue = "ran",
                description = "Groups of programs (event types: exec, runq_latency, ...) each left out in a traced "
                        + "variant of its own; 'ran' for every group whose programs ran in the workload's warm-up, "
                        + "'none' for no such variant (default: ${DEFAULT-VALUE}).")
        List<String> leaveOut;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            OverheadBenchmark.Options options =
                    new OverheadBenchmark.Options(rounds, spawns, sources, httpRequests, workloads(), true, leaveOut());
            List<OverheadBenchmark.Result> results = OverheadBenchmark.run(options, progress(out));
            out.printf("%nOverhead: %d rounds per workload, alternating untraced and traced%n", rounds);
            out.print(table(results));
            for (OverheadBenchmark.Result r : results) {
                out.printf(
                        "%n%s: the traced variants, median (min–max) of %d rounds; the programs' run time, the "
                                + "reader's wakeups and its CPU per run; CPU as a share of the untraced time%n",
                        r.workload().description(), rounds);
                out.print(variantTable(r));
                r.programTimes().ifPresent(why -> out.printf("programs' run times not measured: %s%n", why));
                for (Variant variant : r.traced().keySet()) {
                    if (r.programTimes().isEmpty() && variant.leftOut().isEmpty()) {
                        out.printf(
                                "%n%s, %s: each program's runs per workload run, ns per run and run time as a "
                                        + "share of the untraced time (%.3f s)%n",
                                r.workload().description(), variant.description(), r.untracedMedian());
                        out.print(programTable(r.programCosts(variant)));
                    }
                }
            }
            return 0;
        }

        private Set<OverheadBenchmark.Workload> workloads() {
            try {
                return workloads.stream()
                        .map(OverheadBenchmark.Workload::ofLabel)
                        .collect(Collectors.toSet());
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--workloads: " + e.getMessage());
            }
        }

        private OverheadBenchmark.LeaveOut leaveOut() {
            if (leaveOut.equals(List.of("ran"))) {
                return OverheadBenchmark.LeaveOut.groupsThatRan();
            }
            if (leaveOut.equals(List.of("none"))) {
                return OverheadBenchmark.LeaveOut.none();
            }
            try {
                return OverheadBenchmark.LeaveOut.of(
                        leaveOut.stream().map(EventType::ofLabel).toList());
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--leave-out takes 'ran', 'none' or event types ("
                                + Arrays.stream(EventType.values())
                                        .map(EventType::label)
                                        .collect(Collectors.joining(", "))
                                + "), not " + leaveOut);
            }
        }

        /** Each workload's medians, the slowdown, and the slowdown of single rounds (median, min–max). */
        static Table table(List<OverheadBenchmark.Result> results) {
            Table table =
                    new Table("workload", "untraced (median s)", "traced (median s)", "slowdown", "slowdown by round");
            for (OverheadBenchmark.Result r : results) {
                table.row(
                        r.workload().description(),
                        String.format("%.3f", r.untracedMedian()),
                        String.format("%.3f", r.tracedMedian()),
                        String.format("%+.1f%%", 100 * r.slowdown()),
                        percent(r.slowdownByRound(), "%+.1f%%"));
            }
            return table;
        }

        static Table variantTable(OverheadBenchmark.Result r) {
            Table table = new Table(
                    "traced variant",
                    "median s",
                    "slowdown",
                    "slowdown by round",
                    "programs' CPU",
                    "reader wakeups",
                    "reader CPU");
            r.traced()
                    .keySet()
                    .forEach(variant -> table.row(
                            variant.description(),
                            String.format("%.3f", r.tracedMedian(variant)),
                            String.format("%+.1f%%", 100 * r.slowdown(variant)),
                            percent(r.slowdownByRound(variant), "%+.1f%%"),
                            r.programTimes().isPresent() ? "-" : percent(r.programShare(variant), "%.2f%%"),
                            r.readerWakeups(variant).format("%,.0f"),
                            percent(r.readerShare(variant), "%.2f%%")));
            return table;
        }

        static Table programTable(List<ProgramCost> costs) {
            Table table = new Table("program", "runs per run", "ns per run", "share of untraced time");
            for (ProgramCost cost : costs) {
                table.row(
                        cost.program(),
                        cost.runsPerRun().format("%,.0f"),
                        cost.nanosPerRun().format("%,.0f"),
                        percent(cost.shareOfUntraced(), "%.3f%%"));
            }
            return table;
        }

        private static String percent(Spread fraction, String format) {
            return new Spread(100 * fraction.median(), 100 * fraction.min(), 100 * fraction.max()).format(format);
        }
    }

    @Command(
            name = "node",
            mixinStandardHelpOptions = true,
            description = {
                "What Tapio costs the node: a real tapio run, started as a process of its own, measured from "
                        + "/proc over windows: idle on the eBPF source (CPU as a share of one core, RSS, threads), "
                        + "then on the synthetic source at each rate (CPU per event, RSS); then the overhead "
                        + "benchmark's slowdown of traced work. Each figure is the median of its windows or rounds "
                        + "with their range (min–max).",
                "Targets: idle < 1%% of a core and RSS <= 300 MB; <= 1 µs of CPU per event at 50,000 events/s and "
                        + "RSS <= 400 MB; traced work < 1%% slower."
            })
    static final class Node implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--windows",
                defaultValue = "5",
                description = "Windows measured per load (default: ${DEFAULT-VALUE}).")
        int windows;

        @Option(
                names = "--window-seconds",
                defaultValue = "10",
                description = "Seconds per window (default: ${DEFAULT-VALUE}).")
        int windowSeconds;

        @Option(
                names = "--warm-up-seconds",
                defaultValue = "30",
                description = "Seconds a run starts and settles before its first window (default: ${DEFAULT-VALUE}).")
        int warmUpSeconds;

        @Option(
                names = "--rates",
                split = ",",
                defaultValue = "1000,10000,50000",
                description = "Synthetic events/s, one load each (default: ${DEFAULT-VALUE}).")
        List<Long> rates;

        @Option(
                names = "--overhead-rounds",
                defaultValue = "5",
                description =
                        "Rounds of the overhead benchmark per workload; 0 leaves it out (default: ${DEFAULT-VALUE}).")
        int overheadRounds;

        @Mixin
        BenchRecording recording = new BenchRecording();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            NodeBenchmark.Result result = NodeBenchmark.run(
                    new NodeBenchmark.Options(
                            tapioCommand(),
                            windows,
                            Duration.ofSeconds(windowSeconds),
                            Duration.ofSeconds(warmUpSeconds),
                            rates,
                            overheadRounds),
                    progress(out));
            out.printf(
                    "%nWhat tapio run costs this node: %d windows of %d s after %d s; median (min–max)%n",
                    windows, windowSeconds, warmUpSeconds);
            Table table = new Table(
                    "load", "events/s into the job", "CPU (% of a core)", "CPU per event", "RSS (MiB)", "threads");
            List<NodeBenchmark.Load> loads = new java.util.ArrayList<>();
            loads.add(result.idle());
            loads.addAll(result.rates());
            for (NodeBenchmark.Load load : loads) {
                table.row(
                        load.rate() == 0 ? "idle (ebpf)" : String.format("%,d/s (synthetic)", load.rate()),
                        load.eventsPerSecond().format("%,.0f"),
                        load.cpuPercent().format("%.1f"),
                        load.rate() == 0 ? "-" : load.cpuMicrosPerEvent().format("%.2f") + " µs",
                        load.rssMib().format("%.0f"),
                        load.threads().format("%.0f"));
            }
            out.print(table);
            if (!result.overhead().isEmpty()) {
                out.printf("%nThe slowdown of traced work: %d rounds per workload, alternating%n", overheadRounds);
                out.print(Overhead.table(result.overhead()));
            }
            recording.record(records(result), out);
            return 0;
        }

        private List<BenchRun> records(NodeBenchmark.Result result) {
            List<BenchRun> runs = new java.util.ArrayList<>();
            NodeBenchmark.Load idle = result.idle();
            runs.add(cost("idle cpu", idle.cpuPercent(), "percent_of_core"));
            runs.add(cost("idle rss", idle.rssMib(), "mib"));
            runs.add(cost("idle threads", idle.threads(), "threads"));
            for (NodeBenchmark.Load load : result.rates()) {
                runs.add(cost(load.rate() + "/s cpu per event", load.cpuMicrosPerEvent(), "cpu_us_per_event"));
                runs.add(cost(load.rate() + "/s rss", load.rssMib(), "mib"));
            }
            for (OverheadBenchmark.Result r : result.overhead()) {
                Spread rounds = r.slowdownByRound();
                runs.add(cost(
                        "overhead " + r.workload().description(),
                        new Spread(100 * r.slowdown(), 100 * rounds.min(), 100 * rounds.max()),
                        "slowdown_percent"));
            }
            return runs;
        }

        private BenchRun cost(String caseName, Spread figure, String unit) {
            return recording.run.cost(
                    "node",
                    caseName,
                    figure.median(),
                    unit,
                    Map.of(
                            "min", String.valueOf(figure.min()),
                            "max", String.valueOf(figure.max()),
                            "windows", String.valueOf(windows),
                            "window_seconds", String.valueOf(windowSeconds),
                            "overhead_rounds", String.valueOf(overheadRounds)));
        }
    }

    @Command(
            name = "churn",
            mixinStandardHelpOptions = true,
            description = {
                "Whether tapio run's memory stays flat while the node churns: a real tapio run on the eBPF source, "
                        + "started as a process of its own, watches this machine while the benchmark makes cgroups "
                        + "(cgroup v2, under tapio-churn-PID of its own) at a steady rate, each living seconds and "
                        + "running short-lived processes that succeed, exit non-zero, fail to open a file and fail to "
                        + "connect to a closed loopback port. The run is sampled at intervals: RSS, threads, CPU, "
                        + "events/s, and its enrichment cache and bounded caches' evictions from its metrics endpoint.",
                "Prints a line per sample, then the first and last RSS and the growth per 10 minutes (least-squares "
                        + "slope over the second half's samples, after warm-up). Every cgroup and process it made is "
                        + "gone when it ends, also on failure and Ctrl-C.",
                "Exit status 0 when memory is flat: the growth within --flat-mib-per-10-minutes."
            })
    static final class Churn implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--minutes", defaultValue = "30", description = "Minutes of churn (default: ${DEFAULT-VALUE}).")
        int minutes;

        @Option(
                names = "--sample-seconds",
                defaultValue = "60",
                description = "Seconds between two samples of the run (default: ${DEFAULT-VALUE}).")
        int sampleSeconds;

        @Option(
                names = "--cgroups-per-minute",
                defaultValue = "300",
                description = "Cgroups made a minute, five processes each (default: ${DEFAULT-VALUE}).")
        int cgroupsPerMinute;

        @Option(
                names = "--cgroup-seconds",
                defaultValue = "5",
                description = "Seconds each cgroup lives (default: ${DEFAULT-VALUE}).")
        int cgroupSeconds;

        @Option(
                names = "--flat-mib-per-10-minutes",
                defaultValue = "5",
                description =
                        "The growth of RSS per 10 minutes within which memory is flat (default: ${DEFAULT-VALUE}).")
        double flatMibPer10Minutes;

        @Mixin
        BenchRecording recording = new BenchRecording();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (minutes < 1
                    || sampleSeconds < 1
                    || sampleSeconds > minutes * 30
                    || cgroupsPerMinute < 1
                    || cgroupSeconds < 1) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--minutes, --sample-seconds, --cgroups-per-minute and --cgroup-seconds must be 1 or more, "
                                + "--sample-seconds at most half the run (the second half's trend takes two samples)");
            }
            ChurnBenchmark.Result result = ChurnBenchmark.run(
                    new ChurnBenchmark.Options(
                            tapioCommand(),
                            Duration.ofMinutes(minutes),
                            Duration.ofSeconds(sampleSeconds),
                            cgroupsPerMinute,
                            Duration.ofSeconds(cgroupSeconds),
                            flatMibPer10Minutes),
                    progress(out));
            out.printf(
                    "%ntapio run under churn: %d min, %,d cgroups and %,d processes made (all gone again), "
                            + "%d samples%n",
                    minutes,
                    result.cgroups(),
                    result.processes(),
                    result.samples().size());
            out.printf(
                    "RSS first %.0f MiB, last %.0f MiB; threads first %d, last %d%n",
                    result.first().rssMib(),
                    result.last().rssMib(),
                    result.first().threads(),
                    result.last().threads());
            out.printf(
                    "growth over the second half: %+.1f MiB per 10 minutes (least squares over %d samples)%n",
                    result.growthMibPer10Minutes(), result.slopeSamples());
            out.printf(
                    "%s: %s%n",
                    result.flat() ? "flat" : "GROWING",
                    result.flat()
                            ? String.format("within %.1f MiB per 10 minutes", flatMibPer10Minutes)
                            : String.format("more than %.1f MiB per 10 minutes", flatMibPer10Minutes));
            Map<String, String> parameters = Map.of(
                    "minutes", String.valueOf(minutes),
                    "sample_seconds", String.valueOf(sampleSeconds),
                    "cgroups_per_minute", String.valueOf(cgroupsPerMinute),
                    "cgroup_seconds", String.valueOf(cgroupSeconds),
                    "cgroups", String.valueOf(result.cgroups()),
                    "processes", String.valueOf(result.processes()),
                    "samples", String.valueOf(result.samples().size()),
                    "slope_samples", String.valueOf(result.slopeSamples()));
            recording.record(
                    List.of(
                            recording.run.cost(
                                    "node", "churn rss first", result.first().rssMib(), "mib", parameters),
                            recording.run.cost(
                                    "node", "churn rss last", result.last().rssMib(), "mib", parameters),
                            recording.run.cost(
                                    "node",
                                    "churn rss growth",
                                    result.growthMibPer10Minutes(),
                                    "mib_per_10_minutes",
                                    parameters),
                            recording.run.cost(
                                    "node", "churn threads last", result.last().threads(), "threads", parameters)),
                    out);
            return result.flat() ? 0 : 1;
        }
    }

    @Command(
            name = "micro",
            mixinStandardHelpOptions = true,
            description = {
                "JMH micro-benchmarks of the job's work per event, on the synthetic node's events (no root "
                        + "needed): a ring record decoded, filtered and enriched (a warm cache), correlated, and "
                        + "through each serializer (Flink's exchange, the agents' Kafka batches, capture files); "
                        + "ns per event and bytes allocated per event (JMH's GC profiler).",
                "Each benchmark in forked JVMs of its own, with this JVM's options. Defaults are short (about 15 s "
                        + "a benchmark); raise --forks and --iterations for figures to compare."
            })
    static final class Micro implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--benchmarks",
                paramLabel = "REGEX",
                defaultValue = ".",
                description = "Run the benchmarks whose names (as --list shows them) contain a match (default: all).")
        String benchmarks;

        @Option(
                names = "--forks",
                defaultValue = "1",
                description = "JVMs forked per benchmark (default: ${DEFAULT-VALUE}).")
        int forks;

        @Option(
                names = "--warmup-iterations",
                defaultValue = "3",
                description = "Warm-up iterations per fork (default: ${DEFAULT-VALUE}).")
        int warmupIterations;

        @Option(
                names = "--iterations",
                defaultValue = "5",
                description = "Measured iterations per fork (default: ${DEFAULT-VALUE}).")
        int iterations;

        @Option(
                names = "--iteration-millis",
                defaultValue = "1000",
                description = "Length of each iteration in ms (default: ${DEFAULT-VALUE}).")
        int iterationMillis;

        @Option(names = "--list", description = "List the benchmarks that --benchmarks selects, and run none.")
        boolean list;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (list) {
                MicroBenchmarks.list(benchmarks).forEach(out::println);
                return 0;
            }
            if (forks < 1) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--forks must be 1 or more: a benchmark measures in a JVM of its own");
            }
            List<MicroBenchmarks.Measured> results = MicroBenchmarks.run(
                    new MicroBenchmarks.Options(
                            benchmarks, forks, warmupIterations, iterations, Duration.ofMillis(iterationMillis)),
                    System.out);
            out.printf(
                    "%nThe job's work per event: %d fork(s) x %d iterations of %d ms after %d of warm-up; "
                            + "the iterations' median (lowest–highest)%n",
                    forks, iterations, iterationMillis, warmupIterations);
            Table table = new Table("benchmark", "ns per event", "range", "bytes per event");
            for (MicroBenchmarks.Measured m : results) {
                table.row(
                        m.benchmark(),
                        String.format("%,.1f", m.nanosPerEvent()),
                        String.format("%,.1f–%,.1f", m.nanosMin(), m.nanosMax()),
                        Double.isNaN(m.bytesPerEvent()) ? "-" : String.format("%,.0f", m.bytesPerEvent()));
            }
            out.print(table);
            return 0;
        }
    }

    /** The command line of this tapio, to start a run as a process of its own. */
    private static List<String> tapioCommand() {
        List<String> command = new java.util.ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Tapio.class.getName());
        return command;
    }

    private static java.util.function.Consumer<String> progress(PrintWriter out) {
        return line -> {
            out.println("  " + line);
            out.flush();
        };
    }
}
