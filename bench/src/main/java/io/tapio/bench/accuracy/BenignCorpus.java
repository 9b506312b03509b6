package io.tapio.bench.accuracy;

import com.sun.net.httpserver.HttpServer;
import io.tapio.testing.BuildProject;
import io.tapio.testing.WorkloadCgroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What a node runs that is not a fault: real, unmodified programs of the kinds a node runs, each
 * in a cgroup of its own and started again and again as a runtime, a cron job or a supervisor
 * would (the process this JVM moves into the cgroup is the workload's main process), for as
 * long as the corpus is open. None of them is tuned for Tapio: interpreters probe their
 * optional files, HTTP clients their configuration and both address families of localhost,
 * scripts run tools that exit 1, waiting loops fail until what they wait for comes.
 *
 * <p>A program this machine lacks is not run, and the report says which.
 */
final class BenignCorpus implements AutoCloseable {
    /**
     * One program of the corpus.
     *
     * @param name as the report names it
     * @param needs the executable it needs on the PATH
     * @param script the bash script one run is (every run a new main process of its cgroup)
     * @param pauseMillis between two runs
     */
    record Program(String name, String needs, String script, long pauseMillis) {}

    private final HttpServer server;
    private final Path dir;
    private final List<Program> programs;
    private final List<String> missing = new ArrayList<>();
    private final Map<Program, WorkloadCgroup> cgroups = new ConcurrentHashMap<>();
    private final Map<Program, Long> runs = new ConcurrentHashMap<>();
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean open = true;
    private final long startedNanos = System.nanoTime();

    BenignCorpus(Consumer<String> progress) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", exchange -> {
            byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        dir = Files.createTempDirectory("tapio-benign");
        programs = programs(server.getAddress().getPort(), freePort(), dir);
        for (Program program : programs) {
            if (!onPath(program.needs())) {
                missing.add(program.name() + " (no " + program.needs() + ")");
                continue;
            }
            WorkloadCgroup cgroup = WorkloadCgroup.create();
            cgroups.put(program, cgroup);
            Path script = Files.writeString(dir.resolve("benign-" + cgroups.size() + ".sh"), program.script() + "\n");
            loops.add(Thread.ofPlatform()
                    .name("benign-" + program.name())
                    .daemon()
                    .start(() -> loop(program, cgroup, script)));
        }
        progress.accept("benign corpus: " + cgroups.size() + " programs running"
                + (missing.isEmpty() ? "" : "; not on this machine: " + String.join(", ", missing)));
    }

    /**
     * The programs of the corpus: {@code port} is a local HTTP server's (on 127.0.0.1 only, so
     * that a client asking for localhost meets ::1 first), {@code freePort} one nothing listens on
     * until a waiting loop's server takes it, {@code dir} theirs to write in.
     */
    private static List<Program> programs(int port, int freePort, Path dir) {
        Path build = BuildProject.create(dir, 8);
        Path repo = dir.resolve("repo");
        String python = "python3"; // whatever a user's PATH gives: a pyenv shim on some machines
        String local = "http://localhost:" + port + "/";
        return List.of(
                new Program("python starting", python, python + " -c 'import json, ssl; print(json.dumps({}))'", 500),
                new Program(
                        "python HTTP client",
                        python,
                        python + " -c 'import urllib.request; urllib.request.urlopen(\"" + local + "\").read()'",
                        1_000),
                new Program("perl starting", "perl", "perl -MPOSIX -e 'print floor(1.5), \"\\n\"'", 500),
                new Program("node starting", "node", "node -e 'require(\"fs\").existsSync(\"/etc/hostname\")'", 1_000),
                new Program("curl", "curl", "curl -fsS -o /dev/null " + local, 500),
                new Program("wget", "wget", "wget -q -O /dev/null http://127.0.0.1:" + port + "/", 500),
                new Program(
                        "health check", "curl", "curl -fsS -o /dev/null http://127.0.0.1:" + port + "/healthz", 1_000),
                new Program(
                        "compiler",
                        "cc",
                        "cd " + dir
                                + " && printf 'int main(void) { return 0; }\\n' > hello.c && cc -O2 -o hello hello.c",
                        1_000),
                new Program("parallel build", "make", "make -s -B -j2 -C " + build, 500),
                new Program("version control", "git", """
                        [ -d %1$s ] || git init -q %1$s
                        cd %1$s && date > file && git add file \\
                            && git -c user.name=bench -c user.email=bench@localhost commit -qm change \\
                            && git log --oneline -1 >/dev/null && git status --short >/dev/null""".formatted(repo), 1_000),
                new Program(
                        "package query",
                        "dpkg-query",
                        "dpkg-query -W bash >/dev/null && dpkg -l coreutils >/dev/null",
                        1_000),
                new Program("script with tools that exit 1", "grep", """
                        grep -q tapio-never-there /etc/hostname
                        test -f /etc/tapio-never-there
                        readlink -f /etc/tapio-never-there/x >/dev/null
                        ls /etc/tapio-never-there 2>/dev/null
                        exit 0""", 500),
                // Each run waits for a file of its own name. Named after the run's pid ($$), two
                // runs minutes apart got the same name once pids wrapped (pid_max is 32768 here;
                // the corpus forks ~155 processes a second, so pids wrap every ~3.5 min): to any
                // rule, one script failing on that file for minutes, which is the fault scenario,
                // not this program.
                new Program("waiting for a file", "cat", """
                        f=$(mktemp -u %s/ready-XXXXXXXX)
                        (sleep 3; touch $f) &
                        until cat $f 2>/dev/null; do sleep 0.5; done
                        rm -f $f""".formatted(dir), 1_000),
                new Program("waiting for a port", python, """
                        (sleep 3; exec %s -c 'import socket; s = socket.socket(); \\
                        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); \\
                        s.bind(("127.0.0.1", %d)); s.listen(); s.accept()') &
                        until (exec 3<>/dev/tcp/127.0.0.1/%2$d) 2>/dev/null; do sleep 0.5; done
                        wait""".formatted(Scenarios.python(), freePort), 1_000),
                new Program("polling a local service", python, """
                        %s -c 'import time, urllib.request
                        for _ in range(30):
                            urllib.request.urlopen("%s").read(); time.sleep(1)'""".formatted(python, local), 0));
    }

    /** The cgroup ids of the programs that run, by program name. */
    Map<String, Long> cgroupIds() {
        Map<String, Long> ids = new java.util.TreeMap<>();
        cgroups.forEach((program, cgroup) -> ids.put(program.name(), cgroup.id()));
        return ids;
    }

    /** The programs this machine lacks. */
    List<String> missing() {
        return List.copyOf(missing);
    }

    /** Runs of each program so far, and of all of them. */
    long runs() {
        return runs.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Program-hours run so far: how long each ran, summed. */
    double programHours() {
        return cgroups.size() * (System.nanoTime() - startedNanos) / 3.6e12;
    }

    private void loop(Program program, WorkloadCgroup cgroup, Path script) {
        try {
            while (open) {
                Processes.run(cgroup.wrap("/bin/bash " + script));
                runs.merge(program, 1L, Long::sum);
                Processes.pause(program.pauseMillis());
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static boolean onPath(String executable) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, executable))) {
                return true;
            }
        }
        return false;
    }

    /** Stops the programs as a node stops them (SIGTERM), then removes their cgroups and files. */
    @Override
    public void close() throws IOException, InterruptedException {
        open = false;
        cgroups.values().forEach(WorkloadCgroup::close);
        for (Thread loop : loops) {
            loop.join(10_000);
        }
        server.stop(0);
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
