package io.tapio.bench.node;

import io.tapio.bench.Spread;
import io.tapio.bench.WorkDirectory;
import io.tapio.bench.overhead.OverheadBenchmark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What Tapio costs the node it watches. A real {@code tapio run}, started as a process of its
 * own as a user starts it, is measured from outside through {@code /proc} over windows: idle on
 * the eBPF source (this machine's kernel, whatever it does meanwhile), then on the synthetic
 * source at fixed rates, for the CPU each event costs; then the slowdown of traced work
 * ({@link OverheadBenchmark}). Every figure is the median of its windows or rounds, with their
 * range.
 */
public final class NodeBenchmark {
    /**
     * @param tapio the command line that runs {@code tapio} (the JVM with its options and class
     *     path, then the main class), to which a run's arguments are added
     * @param rates synthetic events per second, one load each
     * @param overheadRounds rounds of the overhead benchmark; 0 leaves it out
     */
    public record Options(
            List<String> tapio, int windows, Duration window, Duration warmUp, List<Long> rates, int overheadRounds) {
        public Options {
            if (windows < 1 || window.isNegative() || window.isZero() || warmUp.isNegative()) {
                throw new IllegalArgumentException("a node benchmark needs windows of some length");
            }
            tapio = List.copyOf(tapio);
            rates = List.copyOf(rates);
        }
    }

    /**
     * One load of the run, measured over windows.
     *
     * @param rate the synthetic events per second asked for; 0 for idle on the kernel
     * @param eventsPerSecond events that entered the job, per window
     * @param cpuPercent the share of one core the whole process used, per window
     */
    public record Load(long rate, Spread eventsPerSecond, Spread cpuPercent, Spread rssMib, Spread threads) {
        /** Microseconds of CPU per event that entered the job (the process's whole CPU, divided). */
        public Spread cpuMicrosPerEvent() {
            return new Spread(
                    perEvent(cpuPercent.median(), eventsPerSecond.median()),
                    perEvent(cpuPercent.min(), eventsPerSecond.median()),
                    perEvent(cpuPercent.max(), eventsPerSecond.median()));
        }

        private static double perEvent(double cpuPercent, double eventsPerSecond) {
            return eventsPerSecond <= 0 ? Double.NaN : cpuPercent / 100 * 1e6 / eventsPerSecond;
        }
    }

    public record Result(Load idle, List<Load> rates, List<OverheadBenchmark.Result> overhead) {}

    private NodeBenchmark() {}

    public static Result run(Options options, Consumer<String> progress) throws Exception {
        try (WorkDirectory work = WorkDirectory.create("tapio-node")) {
            progress.accept("idle: tapio run --source ebpf");
            Load idle = measure(options, work.resolve("idle"), 0, progress, "--source", "ebpf");
            List<Load> rates = new ArrayList<>();
            for (long rate : options.rates()) {
                progress.accept(String.format("%,d events/s: tapio run --source synthetic", rate));
                rates.add(measure(
                        options,
                        work.resolve("rate-" + rate),
                        rate,
                        progress,
                        "--source",
                        "synthetic",
                        "--synthetic-rate",
                        Long.toString(rate)));
            }
            List<OverheadBenchmark.Result> overhead = options.overheadRounds() == 0
                    ? List.of()
                    : OverheadBenchmark.run(
                            OverheadBenchmark.Options.defaults().withRounds(options.overheadRounds()), progress);
            return new Result(idle, rates, overhead);
        }
    }

    private static Load measure(Options options, Path dir, long rate, Consumer<String> progress, String... source)
            throws Exception {
        Duration measured = options.window().multipliedBy(options.windows());
        try (TapioRun tapio =
                TapioRun.start(options.tapio(), dir, options.warmUp().plus(measured), source)) {
            Thread.sleep(options.warmUp());
            List<Double> events = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            List<Double> threads = new ArrayList<>();
            ProcessCost before = tapio.cost();
            long processedBefore = tapio.eventsProcessed();
            long nanosBefore = System.nanoTime();
            for (int w = 1; w <= options.windows(); w++) {
                Thread.sleep(options.window());
                ProcessCost after = tapio.cost();
                long processedAfter = tapio.eventsProcessed();
                long nanosAfter = System.nanoTime();
                double seconds = (nanosAfter - nanosBefore) / 1e9;
                events.add((processedAfter - processedBefore) / seconds);
                cpu.add(after.cpuPercentSince(before, seconds));
                rss.add(after.rssMib());
                threads.add((double) after.threads());
                progress.accept(String.format(
                        "  window %d/%d: %,.0f events/s, %.1f%% of a core, RSS %.0f MiB, %d threads",
                        w, options.windows(), events.getLast(), cpu.getLast(), rss.getLast(), after.threads()));
                before = after;
                processedBefore = processedAfter;
                nanosBefore = nanosAfter;
            }
            return new Load(rate, Spread.of(events), Spread.of(cpu), Spread.of(rss), Spread.of(threads));
        }
    }
}
