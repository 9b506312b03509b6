package io.tapio.bench.node;

import io.tapio.bench.Spread;
import io.tapio.bench.WorkDirectory;
import io.tapio.bench.overhead.OverheadBenchmark;
import io.tapio.status.StatusClient;
import io.tapio.status.StatusStore;
import io.tapio.status.TapioStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /** Time the run may take beyond its windows to start and to stop. */
    private static final Duration MARGIN = Duration.ofMinutes(2);

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
        int statusPort = freePort();
        Duration measured = options.window().multipliedBy(options.windows());
        List<String> command =
                new ArrayList<>(options.tapio().subList(0, options.tapio().size() - 1));
        command.add("-Dlog.file=" + dir.resolve("tapio.log"));
        command.add(options.tapio().getLast());
        command.add("run");
        command.addAll(List.of(source));
        command.addAll(List.of(
                "--duration",
                (options.warmUp().plus(measured).plus(MARGIN).toSeconds()) + "s",
                "--data-dir",
                dir.resolve("data").toString(),
                "--ui-port",
                Integer.toString(freePort()),
                "--metrics-port",
                Integer.toString(freePort()),
                "--status-port",
                Integer.toString(statusPort)));
        Files.createDirectories(dir);
        Process tapio = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.txt").toFile())
                .start();
        try {
            StatusStore.Instance instance = new StatusStore.Instance(tapio.pid(), statusPort);
            awaitStarted(instance, tapio, dir);
            Thread.sleep(options.warmUp());
            List<Double> events = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            List<Double> threads = new ArrayList<>();
            ProcessCost before = ProcessCost.of(tapio.pid());
            long processedBefore = processed(instance, tapio, dir);
            long nanosBefore = System.nanoTime();
            for (int w = 1; w <= options.windows(); w++) {
                Thread.sleep(options.window());
                ProcessCost after = ProcessCost.of(tapio.pid());
                long processedAfter = processed(instance, tapio, dir);
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
        } finally {
            stop(tapio);
        }
    }

    /** Waits until the run answers on its status port: its job is submitted, the warm-up starts. */
    private static void awaitStarted(StatusStore.Instance instance, Process tapio, Path dir)
            throws InterruptedException {
        long deadline = System.nanoTime() + MARGIN.toNanos();
        while (StatusClient.fetch(instance).isEmpty()) {
            if (!tapio.isAlive() || System.nanoTime() > deadline) {
                throw failed(tapio, dir, "did not start");
            }
            Thread.sleep(500);
        }
    }

    /** Events that entered the run's job so far, from its status endpoint. */
    private static long processed(StatusStore.Instance instance, Process tapio, Path dir) {
        if (!tapio.isAlive()) {
            throw failed(tapio, dir, "stopped");
        }
        return StatusClient.fetch(instance)
                .map(TapioStatus::eventsProcessed)
                .orElseThrow(() -> failed(tapio, dir, "does not answer on its status port"));
    }

    /** What went wrong, with the end of what the run printed (its directory goes with the benchmark). */
    private static IllegalStateException failed(Process tapio, Path dir, String what) {
        List<String> output;
        try {
            output = Files.readAllLines(dir.resolve("output.txt"));
        } catch (IOException e) {
            output = List.of("(no output: " + e.getMessage() + ")");
        }
        return new IllegalStateException("tapio run " + what
                + (tapio.isAlive() ? "" : " (exit status " + tapio.exitValue() + ")") + "; it printed:\n"
                + String.join("\n", output.subList(Math.max(0, output.size() - 30), output.size())));
    }

    /** As Ctrl-C would: the run stops its job and writes its summary. */
    private static void stop(Process tapio) throws InterruptedException {
        tapio.destroy();
        if (!tapio.waitFor(1, TimeUnit.MINUTES)) {
            tapio.destroyForcibly().waitFor();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
