package io.tapio.bench.node;

import io.tapio.bench.Stats;
import io.tapio.bench.WorkDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Whether Tapio's memory stays flat while the node churns: a real {@code tapio run} on the eBPF
 * source (started as {@link NodeBenchmark} starts it) watches this machine while a
 * {@link ChurnLoad} makes cgroups and short-lived processes under a parent of its own, and the
 * run is sampled from {@code /proc} and its metrics endpoint at intervals. Memory that grows
 * under churn is the node agents' most reported failure; the verdict is the least-squares slope
 * of RSS over the second half of the run, after the JVM and the caches warmed up.
 */
public final class ChurnBenchmark {
    /**
     * @param tapio the command line that runs {@code tapio}, as {@link NodeBenchmark.Options#tapio()}
     * @param duration how long the churn runs; samples are taken at its start and every {@code
     *     sampleInterval} after
     * @param cgroupsPerMinute cgroups made a minute, each running five short-lived processes
     * @param cgroupLifetime how long each cgroup lives
     * @param flatMibPer10Minutes the growth of RSS, in MiB per 10 minutes, within which memory is flat
     */
    public record Options(
            List<String> tapio,
            Duration duration,
            Duration sampleInterval,
            int cgroupsPerMinute,
            Duration cgroupLifetime,
            double flatMibPer10Minutes) {
        public Options {
            if (sampleInterval.isNegative()
                    || sampleInterval.isZero()
                    || duration.compareTo(sampleInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException(
                        "a churn run needs a sample interval of at most half the run: its second half's trend"
                                + " takes two samples");
            }
            tapio = List.copyOf(tapio);
        }
    }

    /**
     * The run at one moment of the churn.
     *
     * @param minutes since the churn started
     * @param cpuPercent the share of one core since the sample before; NaN for the first
     * @param eventsPerSecond events into the job since the sample before; NaN for the first
     * @param cgroups cgroups the churn made so far
     * @param processes processes the churn started so far
     */
    public record Sample(
            double minutes,
            double rssMib,
            int threads,
            double cpuPercent,
            double eventsPerSecond,
            long eventsProcessed,
            RunMetrics metrics,
            long cgroups,
            long processes) {}

    /**
     * @param cgroups cgroups the churn made, all removed again
     * @param processes processes it started in them, all ended
     * @param growthMibPer10Minutes the least-squares slope of RSS over the second half's samples
     * @param slopeSamples how many samples that slope is over
     */
    public record Result(
            List<Sample> samples,
            long cgroups,
            long processes,
            double growthMibPer10Minutes,
            int slopeSamples,
            double flatMibPer10Minutes) {
        public Sample first() {
            return samples.getFirst();
        }

        public Sample last() {
            return samples.getLast();
        }

        /** Whether RSS grew no more than the bound over the second half (shrinking is flat too). */
        public boolean flat() {
            return growthMibPer10Minutes <= flatMibPer10Minutes;
        }
    }

    private ChurnBenchmark() {}

    public static Result run(Options options, Consumer<String> progress) throws Exception {
        try (WorkDirectory work = WorkDirectory.create("tapio-churn")) {
            progress.accept("tapio run --source ebpf");
            try (TapioRun tapio =
                    TapioRun.start(options.tapio(), work.resolve("run"), options.duration(), "--source", "ebpf")) {
                List<Sample> samples = new ArrayList<>();
                ChurnLoad load =
                        ChurnLoad.start(options.cgroupsPerMinute(), options.cgroupLifetime(), work.resolve("churn"));
                try (load) {
                    progress.accept(String.format(
                            "churn: %,d cgroups a minute under %s, each living %.1f s",
                            options.cgroupsPerMinute(),
                            load.parent(),
                            options.cgroupLifetime().toMillis() / 1000.0));
                    long start = System.nanoTime();
                    long taken = options.duration().dividedBy(options.sampleInterval()) + 1;
                    ProcessCost before = null;
                    long processedBefore = 0;
                    for (long s = 0; s < taken; s++) {
                        long due =
                                start + options.sampleInterval().multipliedBy(s).toNanos();
                        Thread.sleep(Duration.ofNanos(Math.max(0, due - System.nanoTime())));
                        ProcessCost cost = tapio.cost();
                        long processed = tapio.eventsProcessed();
                        RunMetrics metrics = RunMetrics.of(tapio.metrics());
                        double minutes = (System.nanoTime() - start) / 60e9;
                        double seconds = samples.isEmpty()
                                ? Double.NaN
                                : (minutes - samples.getLast().minutes()) * 60;
                        samples.add(new Sample(
                                minutes,
                                cost.rssMib(),
                                cost.threads(),
                                before == null ? Double.NaN : cost.cpuPercentSince(before, seconds),
                                (processed - processedBefore) / seconds,
                                processed,
                                metrics,
                                load.cgroups(),
                                load.processes()));
                        progress.accept(describe(samples.getLast()));
                        before = cost;
                        processedBefore = processed;
                    }
                }
                return result(options, samples, load);
            }
        }
    }

    /** The slope over the samples of the run's second half, when the JVM and the caches have warmed up. */
    private static Result result(Options options, List<Sample> samples, ChurnLoad load) {
        double half = options.duration().toMillis() / 60_000.0 / 2;
        List<Double> minutes = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.minutes() >= half) {
                minutes.add(sample.minutes());
                rss.add(sample.rssMib());
            }
        }
        return new Result(
                List.copyOf(samples),
                load.cgroups(),
                load.processes(),
                10 * Stats.slope(minutes, rss),
                minutes.size(),
                options.flatMibPer10Minutes());
    }

    private static String describe(Sample s) {
        return String.format(
                "%5.1f min: RSS %.0f MiB, %d threads, %s%% of a core, %s events/s; enrichment cache %s cgroups, "
                        + "%s misses, %s evicted; workload codec %s evicted; churn %,d cgroups, %,d processes",
                s.minutes(),
                s.rssMib(),
                s.threads(),
                Double.isNaN(s.cpuPercent()) ? "-" : String.format("%.1f", s.cpuPercent()),
                Double.isNaN(s.eventsPerSecond()) ? "-" : String.format("%,.0f", s.eventsPerSecond()),
                count(s.metrics().enrichCacheEntries()),
                count(s.metrics().enrichMisses()),
                count(s.metrics().enrichEvictions()),
                count(s.metrics().codecEvictions()),
                s.cgroups(),
                s.processes());
    }

    /** A metric's value, or "-" where the run does not export it. */
    private static String count(OptionalDouble value) {
        return value.isPresent() ? String.format("%,.0f", value.getAsDouble()) : "-";
    }
}
