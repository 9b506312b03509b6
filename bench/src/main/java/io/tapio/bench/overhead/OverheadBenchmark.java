package io.tapio.bench.overhead;

import com.sun.net.httpserver.HttpServer;
import io.tapio.bench.Spread;
import io.tapio.bench.Stats;
import io.tapio.bench.WorkDirectory;
import io.tapio.bench.collector.RingConsumer;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.KernelCollector;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The cost of Tapio to the node: realistic workloads timed with and without the programs
 * attached (and their events read), in alternating rounds of the same run, so that the
 * machine's drift affects both sides alike.
 */
public final class OverheadBenchmark {
    /** Something a node does all day, that the programs trace. */
    public enum Workload {
        SPAWN_LOOP("process-spawning shell loop"),
        PARALLEL_BUILD("parallel C build"),
        LOOPBACK_HTTP("loopback HTTP load");

        private final String description;

        Workload(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * @param rounds rounds per workload, each one run without and one with the programs
     * @param spawns processes the shell loop starts per run
     * @param sources C files the build compiles per run
     * @param httpRequests requests per HTTP run, over keep-alive connections
     */
    public record Options(int rounds, int spawns, int sources, int httpRequests) {
        public static Options defaults() {
            return new Options(5, 1000, 48, 20_000);
        }
    }

    /** Median run times of a workload without and with the programs. */
    public record Result(Workload workload, List<Double> untracedSeconds, List<Double> tracedSeconds) {
        public double untracedMedian() {
            return Stats.median(untracedSeconds);
        }

        public double tracedMedian() {
            return Stats.median(tracedSeconds);
        }

        /** Traced over untraced, minus one: 0.01 is 1% slower. */
        public double slowdown() {
            return tracedMedian() / untracedMedian() - 1;
        }

        /** The slowdown of each round (its traced run over its untraced run): how far one round is from the median. */
        public Spread slowdownByRound() {
            List<Double> rounds = new ArrayList<>();
            for (int r = 0; r < Math.min(untracedSeconds.size(), tracedSeconds.size()); r++) {
                rounds.add(tracedSeconds.get(r) / untracedSeconds.get(r) - 1);
            }
            return Spread.of(rounds);
        }
    }

    /** As the source's reader: a sleep without records ends this late at the latest. */
    private static final Duration READER_LONGEST_SLEEP = Duration.ofSeconds(1);

    private OverheadBenchmark() {}

    public static List<Result> run(Options options, Consumer<String> progress) {
        try (WorkDirectory workDir = WorkDirectory.create("tapio-overhead")) {
            Path build = BuildProject.create(workDir.path(), options.sources());
            List<Result> results = new ArrayList<>();
            for (Workload workload : Workload.values()) {
                Runnable run = switch (workload) {
                    case SPAWN_LOOP -> () -> spawnLoop(options.spawns());
                    case PARALLEL_BUILD -> () -> BuildProject.build(build);
                    case LOOPBACK_HTTP -> () -> loopbackHttp(options.httpRequests());
                };
                progress.accept("warming up: " + workload.description());
                run.run();
                List<Double> untraced = new ArrayList<>();
                List<Double> traced = new ArrayList<>();
                for (int r = 0; r < options.rounds(); r++) {
                    boolean tracedFirst = r % 2 == 1;
                    for (boolean tracing : List.of(tracedFirst, !tracedFirst)) {
                        double seconds = tracing ? timeTraced(run) : time(run);
                        (tracing ? traced : untraced).add(seconds);
                        progress.accept(String.format(
                                "round %d/%d %-30s %-9s %.3f s",
                                r + 1,
                                options.rounds(),
                                workload.description(),
                                tracing ? "traced" : "untraced",
                                seconds));
                    }
                }
                results.add(new Result(workload, untraced, traced));
            }
            return results;
        }
    }

    private static double time(Runnable run) {
        long start = System.nanoTime();
        run.run();
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Runs with every program attached and a reader draining the ring as the eBPF source's
     * reader does: until the ring is empty, then asleep until the programs wake it.
     */
    private static double timeTraced(Runnable run) {
        try (KernelCollector collector = KernelCollector.open(CollectorConfig.defaults())) {
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader = Thread.ofPlatform().name("tapio-overhead-reader").start(() -> {
                while (reading.get()) {
                    while (collector.reader().drain((ring, offset, length) -> {}, RingConsumer.BATCH) > 0) {
                        // until the ring is empty
                    }
                    collector.reader().await(READER_LONGEST_SLEEP);
                }
            });
            try {
                return time(run);
            } finally {
                reading.set(false);
                collector.reader().wakeUp();
                try {
                    reader.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
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
