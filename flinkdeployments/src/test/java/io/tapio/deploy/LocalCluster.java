package io.tapio.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The multi-process Flink cluster of flinkdeployments/local-cluster.sh, driven through that
 * script (so the tests prove what a person runs by hand), in a directory of its own and on
 * free loopback ports.
 */
final class LocalCluster implements AutoCloseable {
    private static final Path SCRIPT = Repository.path("flinkdeployments/local-cluster.sh");

    private final Path dir;
    private final int restPort;
    private final int rpcPort;

    private LocalCluster(Path dir) throws IOException {
        this.dir = dir;
        this.restPort = freePort();
        this.rpcPort = freePort();
    }

    /** Starts a JobManager and TaskManagers 1 and 2. */
    static LocalCluster start(Path dir) throws IOException {
        LocalCluster cluster = new LocalCluster(dir);
        cluster.run("start");
        return cluster;
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    /** Uploads the job jar and runs the streaming job; its id. */
    String submit() {
        List<String> out = run("submit");
        return out.getLast().trim();
    }

    void killTaskManager(int n) {
        run("kill-tm", "" + n);
    }

    void startTaskManager(int n) {
        run("start-tm", "" + n);
    }

    /** The script's status and the end of each process's log, for a failure message. */
    String diagnostics() {
        StringBuilder text = new StringBuilder(String.join("\n", run("status")));
        try (Stream<Path> logs = Files.list(dir.resolve("log"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                text.append("\n--- ").append(log.getFileName()).append(" (errors, then the last lines)\n");
                lines.stream()
                        .filter(l -> l.contains("ERROR") || l.contains("Exception"))
                        .limit(15)
                        .forEach(l -> text.append(l).append('\n'));
                text.append("...\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
        } catch (IOException e) {
            text.append("\n(no logs: ").append(e.getMessage()).append(")");
        }
        return text.toString();
    }

    /** The pids of the processes still running; empty once stopped. */
    List<Long> livePids() throws IOException {
        List<Long> live = new ArrayList<>();
        Path pids = dir.resolve("pids");
        if (Files.isDirectory(pids)) {
            try (Stream<Path> files = Files.list(pids)) {
                for (Path file : files.toList()) {
                    long pid = Long.parseLong(Files.readString(file).trim());
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        live.add(pid);
                    }
                }
            }
        }
        return live;
    }

    /** Stops every process; kills by pid whatever the script could not stop. */
    @Override
    public void close() throws IOException {
        try {
            run("stop");
        } finally {
            for (long pid : livePids()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private List<String> run(String... args) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TAPIO_CLUSTER_DIR", dir.toString());
        builder.environment().put("TAPIO_CLUSTER_REST_PORT", "" + restPort);
        builder.environment().put("TAPIO_CLUSTER_RPC_PORT", "" + rpcPort);
        try {
            Process process = builder.start();
            // Background JVMs keep no handle on this pipe (their output goes to files), so it ends with the script.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("local-cluster.sh " + String.join(" ", args) + " failed:\n" + output);
            }
            return output.lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + SCRIPT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
