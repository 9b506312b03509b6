package io.tapio.bench.node;

import io.tapio.status.StatusClient;
import io.tapio.status.StatusStore;
import io.tapio.status.TapioStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code tapio run}, started as a process of its own as a user starts it, with its
 * status and metrics on loopback ports of its own and its output and log in {@code dir}; stopped
 * as Ctrl-C would stop it when closed, or when this JVM ends first.
 */
final class TapioRun implements AutoCloseable {
    /** Time a run may take beyond what it is measured for to start and to stop. */
    static final Duration MARGIN = Duration.ofMinutes(2);

    private final Process process;
    private final Path dir;
    private final StatusStore.Instance instance;
    private final URI metrics;
    private final Thread stopOnExit;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TapioRun(Process process, Path dir, int statusPort, int metricsPort) {
        this.process = process;
        this.dir = dir;
        this.instance = new StatusStore.Instance(process.pid(), statusPort);
        this.metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        this.stopOnExit = new Thread(this::stop, "stop-tapio-run");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts {@code tapio run} with {@code source} (its source options) for {@code measured} and
     * the {@link #MARGIN}, and waits until it answers on its status port: its job is submitted.
     *
     * @param tapio the command line that runs {@code tapio} (the JVM with its options and class
     *     path, then the main class), to which the run's arguments are added
     */
    static TapioRun start(List<String> tapio, Path dir, Duration measured, String... source)
            throws IOException, InterruptedException {
        int statusPort = freePort();
        int metricsPort = freePort();
        List<String> command = new ArrayList<>(tapio.subList(0, tapio.size() - 1));
        command.add("-Dlog.file=" + dir.resolve("tapio.log"));
        command.add(tapio.getLast());
        command.add("run");
        command.addAll(List.of(source));
        command.addAll(List.of(
                "--duration",
                measured.plus(MARGIN).toSeconds() + "s",
                "--data-dir",
                dir.resolve("data").toString(),
                "--ui-port",
                Integer.toString(freePort()),
                "--metrics-port",
                Integer.toString(metricsPort),
                "--status-port",
                Integer.toString(statusPort)));
        Files.createDirectories(dir);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.txt").toFile())
                .start();
        TapioRun run = new TapioRun(process, dir, statusPort, metricsPort);
        try {
            run.awaitStarted();
        } catch (RuntimeException | InterruptedException e) {
            run.close();
            throw e;
        }
        return run;
    }

    long pid() {
        return process.pid();
    }

    /** What the run costs the node right now. */
    ProcessCost cost() {
        if (!process.isAlive()) {
            throw failed("stopped");
        }
        return ProcessCost.of(process.pid());
    }

    /** Events that entered the run's job so far, from its status endpoint. */
    long eventsProcessed() {
        if (!process.isAlive()) {
            throw failed("stopped");
        }
        return StatusClient.fetch(instance)
                .map(TapioStatus::eventsProcessed)
                .orElseThrow(() -> failed("does not answer on its status port"));
    }

    /** The run's metrics endpoint, scraped now, in Prometheus' text format. */
    String metrics() throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(metrics)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw failed("answered " + response.statusCode() + " on its metrics port");
            }
            return response.body();
        } catch (IOException e) {
            throw failed("does not answer on its metrics port (" + e.getMessage() + ")");
        }
    }

    /** Waits until the run answers on its status port: its job is submitted. */
    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + MARGIN.toNanos();
        while (StatusClient.fetch(instance).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw failed("did not start");
            }
            Thread.sleep(500);
        }
    }

    /** What went wrong, with the end of what the run printed (its directory goes with the benchmark). */
    private IllegalStateException failed(String what) {
        List<String> output;
        try {
            output = Files.readAllLines(dir.resolve("output.txt"));
        } catch (IOException e) {
            output = List.of("(no output: " + e.getMessage() + ")");
        }
        return new IllegalStateException("tapio run " + what
                + (process.isAlive() ? "" : " (exit status " + process.exitValue() + ")") + "; it printed:\n"
                + String.join("\n", output.subList(Math.max(0, output.size() - 30), output.size())));
    }

    /** As Ctrl-C would: the run stops its job and writes its summary. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops what is already stopped
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
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
