package io.tapio.bench.accuracy;

import io.tapio.bench.accuracy.Scenario.Expected;
import io.tapio.correlate.CorrelationConfig;
import io.tapio.correlate.patterns.Rule;
import io.tapio.testing.TestNetns;
import io.tapio.testing.WorkloadCgroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real faults of the accuracy suite, and the real things that must stay silent. Each runs
 * unmodified system programs the way a node runs them: a program its runtime restarts (the
 * process this JVM moves into the cgroup is the workload's main process), a script with its
 * helpers, a service that keeps retrying. The faults that must last do so for 40 s, longer than
 * the rules' 30 s, as a real fault does until someone fixes it.
 */
public final class Scenarios {
    /** How long a lasting fault goes on: past the 30 s the rules want, as a real one would. */
    static final int LASTING_SECONDS = 42;

    private Scenarios() {}

    /**
     * The correlation the suite runs with: the defaults, but CPU starvation compares 5-second
     * windows with the 4 before them, so that a run needs 20 s of history, not 5 minutes.
     */
    public static CorrelationConfig correlation() {
        return CorrelationConfig.defaults()
                .withRule(
                        "cpu_starvation",
                        Rule.count(10, Duration.ofSeconds(5), Duration.ofSeconds(10))
                                .overBaseline(5, 4));
    }

    public static List<Scenario> all() {
        return List.of(
                oomCrashLoop(),
                crashLoop(),
                missingConfiguration(),
                scriptMissingFile(),
                permissionDenied(),
                killedByAnother(),
                dependencyDown(),
                CpuStarvation.scenario(),
                retransmitStorm(),
                stoppedWithSigterm(),
                killsItself());
    }

    /** A memory hog in a 32 MiB cgroup, OOM-killed and started again, four times. */
    static Scenario oomCrashLoop() {
        return new Scenario("OOM crash loop", Expected.pattern("oom_crash_loop"), 32L << 20, false, cgroup -> {
            for (int i = 0; i < 4; i++) {
                Processes.run(cgroup.wrap("/usr/bin/tail /dev/zero"));
                Processes.pause(1_500);
            }
        });
    }

    /** A program that exits with an error, restarted four times. */
    static Scenario crashLoop() {
        return Scenario.of("crash loop", Expected.pattern("crash_loop"), cgroup -> restarted(cgroup, "/bin/false"));
    }

    /** A program whose configuration was never mounted, restarted four times. */
    static Scenario missingConfiguration() {
        String path = "/etc/tapio-accuracy-" + UUID.randomUUID() + "/config.yaml";
        return Scenario.of(
                "crash loop on a missing configuration",
                new Expected("crash_loop", "missing_file"),
                cgroup -> restarted(cgroup, "/bin/cat " + path));
    }

    /** A script whose cat keeps failing on a file that was never mounted. */
    static Scenario scriptMissingFile() {
        String path = "/etc/tapio-accuracy-" + UUID.randomUUID() + "/app.yaml";
        return Scenario.of(
                "a script's command keeps failing on a missing file",
                new Expected("missing_file", "missing_file"),
                cgroup -> Processes.run(cgroup.wrap("/bin/sh -c '" + everyThreeSeconds("cat " + path) + "'")));
    }

    /** A log shipper running as nobody that keeps failing to read a file only root may read. */
    static Scenario permissionDenied() {
        return Scenario.of(
                "a script's command keeps being refused a file",
                new Expected("permission_denied", "permission_denied"),
                cgroup -> {
                    Path dir = Files.createTempDirectory(
                            "tapio-accuracy",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                    Path secret = Files.writeString(dir.resolve("app.log"), "root only\n");
                    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
                    try {
                        Processes.run(
                                cgroup.wrap("/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c '"
                                        + everyThreeSeconds("cat " + secret) + "'"));
                    } finally {
                        Files.delete(secret);
                        Files.delete(dir);
                    }
                });
    }

    /** A sleeping process killed with SIGKILL by another one, outside its workload. */
    static Scenario killedByAnother() {
        return Scenario.of("killed by another process", Expected.pattern("killed_by_signal"), cgroup -> {
            Process victim = Processes.start(cgroup.wrap("/bin/sleep 60"));
            Processes.pause(1_000);
            Processes.run(List.of("/bin/sh", "-c", "kill -9 " + victim.pid()));
            victim.waitFor();
        });
    }

    /** A service retrying its dependency every 2 s while nothing listens on its port. */
    static Scenario dependencyDown() {
        return Scenario.of(
                "a service's dependency refuses connections", Expected.pattern("dependency_unreachable"), cgroup -> {
                    int closed;
                    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                        closed = probe.getLocalPort();
                    }
                    Processes.run(cgroup.wrap("/bin/bash -c 'for i in $(seq " + LASTING_SECONDS / 2
                            + "); do : 3<>/dev/tcp/127.0.0.1/" + closed + " 2>/dev/null; sleep 2; done; true'"));
                });
    }

    /**
     * A client streaming to a server in a network namespace where a quarter of the packets to
     * the server are dropped on the way in: its segments are retransmitted again and again.
     */
    static Scenario retransmitStorm() {
        return Scenario.of("packets lost on the way to a server", Expected.pattern("retransmit_storm"), cgroup -> {
            try (TestNetns netns = new TestNetns()) {
                netns.exec("nft", "add", "table", "inet", "tapio_accuracy");
                netns.exec(
                        "nft",
                        "add",
                        "chain",
                        "inet",
                        "tapio_accuracy",
                        "in",
                        "{ type filter hook input priority 0; }");
                netns.exec(
                        "nft",
                        "add",
                        "rule",
                        "inet",
                        "tapio_accuracy",
                        "in",
                        "tcp",
                        "dport",
                        "7777",
                        "numgen",
                        "random",
                        "mod",
                        "100",
                        "<",
                        "25",
                        "drop");
                Process server = Processes.start(netns.inside(
                        python(),
                        "-c",
                        "import socket\n"
                                + "s = socket.socket(); s.bind(('127.0.0.1', 7777)); s.listen()\n"
                                + "c, _ = s.accept()\n"
                                + "while c.recv(65536): pass\n"));
                try {
                    Processes.pause(500);
                    Processes.run(cgroup.wrap(String.join(
                            " ",
                            netns.inside(
                                    python(),
                                    "-c",
                                    "'"
                                            + "import socket, time\n"
                                            + "c = socket.create_connection((\"127.0.0.1\", 7777))\n"
                                            + "end = time.time() + 20\n"
                                            + "while time.time() < end: c.sendall(bytes(65536))\n"
                                            + "'"))));
                } finally {
                    server.destroy();
                    server.waitFor();
                }
            }
        });
    }

    /** A service stopped the way services are: SIGTERM from outside, three times. */
    static Scenario stoppedWithSigterm() {
        return Scenario.of("stopped with SIGTERM", Expected.NOTHING, cgroup -> {
            for (int i = 0; i < 3; i++) {
                Process service = Processes.start(cgroup.wrap("/bin/sleep 60"));
                Processes.pause(1_000);
                service.destroy();
                service.waitFor();
            }
        });
    }

    /** A program that kills itself with SIGKILL, four times. */
    static Scenario killsItself() {
        return Scenario.of(
                "kills itself", Expected.NOTHING, cgroup -> restarted(cgroup, "/bin/sh -c \"kill -9 \\$\\$\""));
    }

    /** A program its runtime starts four times, 2 s apart, as a restart loop does. */
    private static void restarted(WorkloadCgroup cgroup, String command) throws IOException, InterruptedException {
        for (int i = 0; i < 4; i++) {
            Processes.run(cgroup.wrap(command));
            Processes.pause(2_000);
        }
    }

    /** A shell loop running {@code command} every 3 s for {@link #LASTING_SECONDS}, whatever its exit status. */
    private static String everyThreeSeconds(String command) {
        return "for i in $(seq " + LASTING_SECONDS / 3 + "); do " + command + " >/dev/null 2>&1; sleep 3; done";
    }

    /** Debian's python3 where it is, for scripts that need nothing but the standard library. */
    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /**
     * A process that wakes every few milliseconds, alone on CPU 1 long enough for its usual
     * level, then starved by CPU hogs pinned to the same CPU with more CPU weight (nice -10: a
     * noisy neighbour with a bigger share).
     */
    static final class CpuStarvation {
        static final long BASELINE_MILLIS = 25_000;
        static final long STARVED_MILLIS = 10_000;
        private static final int HOGS = 6;

        private CpuStarvation() {}

        static Scenario scenario() {
            return new Scenario(
                    "CPU hog starves a latency-sensitive process",
                    Expected.pattern("cpu_starvation"),
                    0,
                    true,
                    CpuStarvation::make);
        }

        private static void make(WorkloadCgroup cgroup) throws Exception {
            Process victim =
                    Processes.start(cgroup.wrap("/usr/bin/taskset -c 1 /bin/sh -c 'while :; do sleep 0.005; done'"));
            List<Process> hogs = new ArrayList<>();
            try (WorkloadCgroup hogGroup = WorkloadCgroup.create()) {
                try {
                    Processes.pause(BASELINE_MILLIS);
                    for (int i = 0; i < HOGS; i++) {
                        hogs.add(Processes.start(hogGroup.wrap(
                                "/usr/bin/nice -n -10 /usr/bin/taskset -c 1 /bin/sh -c 'while :; do :; done'")));
                    }
                    Processes.pause(STARVED_MILLIS);
                } finally {
                    // SIGTERM: a SIGKILL would be a fault of its own for Tapio to report
                    hogs.forEach(Process::destroy);
                    victim.destroy();
                    for (Process p : hogs) {
                        p.waitFor();
                    }
                    victim.waitFor();
                }
            } catch (IOException e) {
                victim.destroy();
                throw e;
            }
        }
    }
}
