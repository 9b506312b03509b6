package io.tapio.bench.accuracy;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.correlate.patterns.Rule;
import io.tapio.testing.WorkloadCgroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The real faults of the accuracy suite. */
public final class Scenarios {
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
                new OomCrashLoop(),
                new CrashLoop(),
                new KilledByAnother(),
                new RefusedConnects(),
                new MissingFile(),
                new CpuStarvation());
    }

    /** A memory hog in a 32 MiB cgroup, OOM-killed and started again, four times. */
    static final class OomCrashLoop implements Scenario {
        @Override
        public String name() {
            return "OOM crash loop";
        }

        @Override
        public String expectedPattern() {
            return "oom_crash_loop";
        }

        @Override
        public Set<String> alsoTrue() {
            return Set.of("oom_kill");
        }

        @Override
        public long memoryLimitBytes() {
            return 32L << 20;
        }

        @Override
        public void run(WorkloadCgroup cgroup) throws Exception {
            for (int i = 0; i < 4; i++) {
                Processes.run(cgroup.wrap("/usr/bin/tail /dev/zero"));
                Processes.pause(1_500);
            }
        }
    }

    /** A program that exits with an error, restarted four times. */
    static final class CrashLoop implements Scenario {
        @Override
        public String name() {
            return "crash loop";
        }

        @Override
        public String expectedPattern() {
            return "crash_loop";
        }

        @Override
        public void run(WorkloadCgroup cgroup) throws Exception {
            for (int i = 0; i < 4; i++) {
                Processes.run(cgroup.wrap("/bin/false"));
                Processes.pause(1_500);
            }
        }
    }

    /** A sleeping process killed with SIGKILL by another one. */
    static final class KilledByAnother implements Scenario {
        @Override
        public String name() {
            return "killed by another process";
        }

        @Override
        public String expectedPattern() {
            return "killed_by_signal";
        }

        @Override
        public void run(WorkloadCgroup cgroup) throws Exception {
            Process victim = Processes.start(cgroup.wrap("/bin/sleep 60"));
            Processes.pause(1_000);
            Processes.run(List.of("/bin/sh", "-c", "kill -9 " + victim.pid()));
            victim.waitFor();
        }
    }

    /** One shell retrying a connect to a closed loopback port. */
    static final class RefusedConnects implements Scenario {
        @Override
        public String name() {
            return "dependency refuses connections";
        }

        @Override
        public String expectedPattern() {
            return "dependency_unreachable";
        }

        @Override
        public void run(WorkloadCgroup cgroup) throws Exception {
            int closed;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closed = probe.getLocalPort();
            }
            Processes.run(cgroup.wrap("/bin/bash -c 'for i in 1 2 3 4 5 6; do (exec 3<>/dev/tcp/127.0.0.1/" + closed
                    + ") 2>/dev/null; sleep 0.5; done; true'"));
        }
    }

    /** One shell retrying to read a file that was never mounted. */
    static final class MissingFile implements Scenario {
        @Override
        public String name() {
            return "missing file";
        }

        @Override
        public String expectedPattern() {
            return "missing_file";
        }

        @Override
        public Set<String> alsoTrue() {
            return Set.of("crash_loop"); // each failed cat is a command failing in a loop
        }

        @Override
        public void run(WorkloadCgroup cgroup) throws Exception {
            String path = "/etc/tapio-accuracy-" + UUID.randomUUID() + "/app.yaml";
            Processes.run(cgroup.wrap(
                    "/bin/sh -c 'for i in 1 2 3 4 5 6 7; do cat " + path + " 2>/dev/null; sleep 0.3; done; true'"));
        }
    }

    /**
     * A process that wakes every few milliseconds, alone on CPU 1 long enough for its usual
     * level, then starved by CPU hogs pinned to the same CPU with more CPU weight (nice -10: a
     * noisy neighbour with a bigger share).
     */
    static final class CpuStarvation implements Scenario {
        static final long BASELINE_MILLIS = 25_000;
        static final long STARVED_MILLIS = 10_000;
        private static final int HOGS = 6;

        @Override
        public String name() {
            return "CPU hog starves a latency-sensitive process";
        }

        @Override
        public String expectedPattern() {
            return "cpu_starvation";
        }

        @Override
        public boolean harmsOthers() {
            return true;
        }

        @Override
        public void run(WorkloadCgroup cgroup) throws Exception {
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
