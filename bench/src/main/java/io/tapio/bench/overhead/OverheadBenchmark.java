package io.tapio.bench.overhead;

import com.sun.net.httpserver.HttpServer;
import io.tapio.bench.Spread;
import io.tapio.bench.Stats;
import io.tapio.bench.WorkDirectory;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.libbpf.BpfException;
import io.tapio.ebpf.libbpf.RunTimeStats;
import io.tapio.testing.BuildProject;
import io.tapio.testing.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The cost of Tapio to the node: realistic workloads timed with and without the programs
 * attached (and their events read), in alternating rounds of the same run, so that the
 * machine's drift affects both sides alike. Where the slowdown goes: the kernel times each
 * program's runs during the traced runs, the reader counts its wakeups and CPU, and variants
 * of the traced run in the same rounds read the ring otherwise or leave a group of programs out.
 */
public final class OverheadBenchmark {
    /** Something a node does all day, that the programs trace. */
    public enum Workload {
        SPAWN_LOOP("spawn-loop", "process-spawning shell loop"),
        PARALLEL_BUILD("build", "parallel C build"),
        LOOPBACK_HTTP("http", "loopback HTTP load");

        private final String label;
        private final String description;

        Workload(String label, String description) {
            this.label = label;
            this.description = description;
        }

        /** Its name on the command line. */
        public String label() {
            return label;
        }

        public String description() {
            return description;
        }

        public static Workload ofLabel(String label) {
            for (Workload workload : values()) {
                if (workload.label.equals(label.trim())) {
                    return workload;
                }
            }
            throw new IllegalArgumentException("no workload " + label + "; there are "
                    + Arrays.stream(values()).map(Workload::label).toList());
        }
    }

    /**
     * Which groups of programs (an event type's, attached and detached together) get a traced
     * variant of their own with them left out.
     *
     * @param ran every group whose programs ran during the workload's warm-up
     * @param types these groups, when not {@code ran}
     */
    public record LeaveOut(boolean ran, Set<EventType> types) {
        public LeaveOut {
            types = Set.copyOf(types);
        }

        public static LeaveOut none() {
            return new LeaveOut(false, Set.of());
        }

        public static LeaveOut groupsThatRan() {
            return new LeaveOut(true, Set.of());
        }

        public static LeaveOut of(Collection<EventType> types) {
            return new LeaveOut(false, Set.copyOf(types));
        }

        private Set<EventType> groups(Set<EventType> ranDuringWarmUp) {
            Set<EventType> groups = EnumSet.noneOf(EventType.class);
            groups.addAll(ran ? ranDuringWarmUp : types);
            return groups;
        }
    }

    /**
     * @param rounds rounds per workload, each one run untraced and one run of each variant
     * @param spawns processes the shell loop starts per run
     * @param sources C files the build compiles per run
     * @param httpRequests requests per HTTP run, over keep-alive connections
     * @param workloads the workloads run, in their order
     * @param readerVariants whether rounds also run the ring napping on a timer and unread
     * @param leaveOut the groups of programs left out one at a time, in variants of their own
     */
    public record Options(
            int rounds,
            int spawns,
            int sources,
            int httpRequests,
            Set<Workload> workloads,
            boolean readerVariants,
            LeaveOut leaveOut) {
        public Options {
            if (rounds < 1 || spawns < 1 || sources < 1 || httpRequests < 1 || workloads.isEmpty()) {
                throw new IllegalArgumentException(
                        "rounds, spawns, sources, requests and workloads must be at least 1");
            }
            Set<Workload> ordered = EnumSet.noneOf(Workload.class);
            ordered.addAll(workloads);
            workloads = Collections.unmodifiableSet(ordered);
        }

        /** Every workload, each with the programs attached as a node runs them, and no variant. */
        public static Options defaults() {
            return new Options(5, 1000, 48, 20_000, EnumSet.allOf(Workload.class), false, LeaveOut.none());
        }

        public Options withRounds(int rounds) {
            return new Options(rounds, spawns, sources, httpRequests, workloads, readerVariants, leaveOut);
        }
    }

    /**
     * A workload's run times untraced and in each variant, with what the traced runs cost.
     *
     * @param traced the runs of each variant, {@link Variant#TRACED} first
     * @param programTimes why the programs' run times are missing, if they are
     */
    public record Result(
            Workload workload,
            List<Double> untracedSeconds,
            Map<Variant, List<TracedRun>> traced,
            Optional<String> programTimes) {
        public Result {
            untracedSeconds = List.copyOf(untracedSeconds);
            traced = Collections.unmodifiableMap(new LinkedHashMap<>(traced));
        }

        public double untracedMedian() {
            return Stats.median(untracedSeconds);
        }

        /** The run times with every program attached and read as the eBPF source reads them. */
        public List<Double> tracedSeconds() {
            return seconds(Variant.TRACED);
        }

        public double tracedMedian() {
            return tracedMedian(Variant.TRACED);
        }

        public double tracedMedian(Variant variant) {
            return Stats.median(seconds(variant));
        }

        /** Traced over untraced, minus one: 0.01 is 1% slower. */
        public double slowdown() {
            return slowdown(Variant.TRACED);
        }

        public double slowdown(Variant variant) {
            return tracedMedian(variant) / untracedMedian() - 1;
        }

        /** The slowdown of each round (its traced run over its untraced run): how far one round is from the median. */
        public Spread slowdownByRound() {
            return slowdownByRound(Variant.TRACED);
        }

        public Spread slowdownByRound(Variant variant) {
            List<Double> seconds = seconds(variant);
            List<Double> rounds = new ArrayList<>();
            for (int r = 0; r < Math.min(untracedSeconds.size(), seconds.size()); r++) {
                rounds.add(seconds.get(r) / untracedSeconds.get(r) - 1);
            }
            return Spread.of(rounds);
        }

        /** How often the variant's reader was woken per workload run. */
        public Spread readerWakeups(Variant variant) {
            return Spread.of(traced.get(variant).stream()
                    .map(run -> (double) run.reader().wakeups())
                    .toList());
        }

        /** The variant's reader's CPU time as a share of the untraced time. */
        public Spread readerShare(Variant variant) {
            return shareOfUntraced(variant, run -> run.reader().cpuNanos());
        }

        /** The variant's programs' run time, all together, as a share of the untraced time. */
        public Spread programShare(Variant variant) {
            return shareOfUntraced(variant, TracedRun::programNanos);
        }

        private Spread shareOfUntraced(Variant variant, ToLongFunction<TracedRun> nanos) {
            double untraced = untracedMedian();
            return Spread.of(traced.get(variant).stream()
                    .map(run -> nanos.applyAsLong(run) / 1e9 / untraced)
                    .toList());
        }

        /** Each program that ran in the variant's runs, the costliest first, then all together. */
        public List<ProgramCost> programCosts(Variant variant) {
            return programTimes.isPresent() ? List.of() : ProgramCost.of(traced.get(variant), untracedMedian());
        }

        private List<Double> seconds(Variant variant) {
            return traced.get(variant).stream().map(TracedRun::seconds).toList();
        }
    }

    private OverheadBenchmark() {}

    public static List<Result> run(Options options, Consumer<String> progress) {
        Optional<String> programTimes = programTimesUnavailable();
        programTimes.ifPresent(why -> progress.accept("programs' run times are not measured: " + why));
        try (WorkDirectory workDir = WorkDirectory.create("tapio-overhead")) {
            Path build = BuildProject.create(workDir.path(), options.sources());
            List<Result> results = new ArrayList<>();
            for (Workload workload : options.workloads()) {
                Runnable run = switch (workload) {
                    case SPAWN_LOOP -> () -> spawnLoop(options.spawns());
                    case PARALLEL_BUILD -> () -> BuildProject.build(build);
                    case LOOPBACK_HTTP -> () -> loopbackHttp(options.httpRequests());
                };
                progress.accept("warming up: " + workload.description());
                TracedRun warmUp = TracedRun.measure(Variant.TRACED, run, programTimes.isEmpty());
                List<Variant> variants = variants(options, groupsThatRan(warmUp));
                List<Double> untraced = new ArrayList<>();
                Map<Variant, List<TracedRun>> traced = new LinkedHashMap<>();
                variants.forEach(v -> traced.put(v, new ArrayList<>()));
                for (int r = 0; r < options.rounds(); r++) {
                    // Untraced first in even rounds and last in odd ones: drift within a round
                    // favours neither side.
                    List<Optional<Variant>> order = new ArrayList<>();
                    order.add(Optional.empty());
                    variants.forEach(v -> order.add(Optional.of(v)));
                    if (r % 2 == 1) {
                        Collections.reverse(order);
                    }
                    for (Optional<Variant> variant : order) {
                        double seconds;
                        if (variant.isEmpty()) {
                            seconds = time(run);
                            untraced.add(seconds);
                        } else {
                            TracedRun traceRun = TracedRun.measure(variant.get(), run, programTimes.isEmpty());
                            traced.get(variant.get()).add(traceRun);
                            seconds = traceRun.seconds();
                        }
                        progress.accept(String.format(
                                "round %d/%d %-30s %-40s %.3f s",
                                r + 1,
                                options.rounds(),
                                workload.description(),
                                variant.map(Variant::description).orElse("untraced"),
                                seconds));
                    }
                }
                results.add(new Result(workload, untraced, traced, programTimes));
            }
            return results;
        }
    }

    /** {@link Variant#TRACED}, then the reader's variants, then a variant per group left out. */
    private static List<Variant> variants(Options options, Set<EventType> ranDuringWarmUp) {
        List<Variant> variants = new ArrayList<>();
        variants.add(Variant.TRACED);
        if (options.readerVariants()) {
            variants.add(Variant.reading(Variant.Reader.NAPPING));
            variants.add(Variant.reading(Variant.Reader.UNREAD));
        }
        options.leaveOut().groups(ranDuringWarmUp).forEach(type -> variants.add(Variant.without(type)));
        return variants;
    }

    /** The groups with a program that ran; every group when the kernel did not time them. */
    private static Set<EventType> groupsThatRan(TracedRun run) {
        Set<EventType> groups = EnumSet.noneOf(EventType.class);
        if (run.programs().isEmpty()) {
            groups.addAll(EnumSet.allOf(EventType.class));
        }
        run.programs().forEach((program, time) -> {
            if (time.runs() > 0) {
                groups.add(program.type());
            }
        });
        return groups;
    }

    /** Why the kernel will not time the programs' runs, if it will not. */
    private static Optional<String> programTimesUnavailable() {
        try (RunTimeStats ignored = RunTimeStats.enable()) {
            return Optional.empty();
        } catch (BpfException e) {
            return Optional.of(e.getMessage());
        }
    }

    static double time(Runnable run) {
        long start = System.nanoTime();
        run.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static void spawnLoop(int spawns) {
        Commands.check("/bin/sh", "-c", "i=0; while [ $i -lt " + spawns + " ]; do /bin/true; i=$((i+1)); done");
    }

    private static void loopbackHttp(int requests) {
        byte[] body = "ok".getBytes();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExecutorService serverThreads = Executors.newFixedThreadPool(2);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int clients = 4;
        try (HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                ExecutorService clientThreads = Executors.newFixedThreadPool(clients)) {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(clientThreads.submit(() -> {
                    for (int i = 0; i < requests / clients; i++) {
                        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new IllegalStateException("loopback HTTP load failed", e);
        } finally {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }
}
