package io.tapio.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.ConnectOutcome;
import io.tapio.ebpf.abi.EventPayload;
import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OomKill;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.Signal;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.ebpf.abi.TcpEndpoints;
import io.tapio.ebpf.abi.TcpState;
import io.tapio.ebpf.types.KernelEventSerializer;
import io.tapio.job.Relevance;
import io.tapio.job.TapioJob;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.Severity;
import io.tapio.model.Workload;
import io.tapio.model.types.EnrichedEventSerializer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The correlator's incidents on scripted kernel events, in a real MiniCluster: each workload
 * (a cgroup of its own) plays what real programs do, normal or faulty, and the test checks the
 * incidents of severity warning or above it gets, by pattern, subject and cause. The events are
 * the records the kernel writes; the real programs making them are the accuracy suite's.
 */
class IncidentsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    private static final long SECOND_NS = 1_000_000_000L;
    /** The kernel's clock at the start of every workload's script (event time: the same in ms). */
    private static final long START_NS = 1_764_000_000_000L * 1_000_000;

    private static final String CONFIG = "/etc/app/config.yaml";
    private static final InetSocketAddress DATABASE = new InetSocketAddress("10.0.0.7", 5432);
    private static final InetSocketAddress LOCALHOST_V6 = new InetSocketAddress("::1", 8080);

    private static final Map<String, Workload> SCRIPTS = new LinkedHashMap<>();
    private static List<Finding> findings;

    /** One workload's events: processes that start, meet things and end. */
    private static final class Script {
        private final long cgroup;
        private final List<KernelEvent> events;
        private int nextPid;

        Script(long cgroup, List<KernelEvent> events) {
            this.cgroup = cgroup;
            this.events = events;
            this.nextPid = (int) cgroup * 1000;
        }

        int pid() {
            return ++nextPid;
        }

        void event(double second, int pid, String comm, EventPayload payload) {
            events.add(KernelEvent.of(
                    new EventSubject(START_NS + (long) (second * SECOND_NS), 0, pid, pid, cgroup, comm), payload));
        }

        void openFails(double second, int pid, String comm, int errno, String path) {
            event(second, pid, comm, new OpenFailed(errno, 0, path));
        }

        void connectFails(double second, int pid, String comm, InetSocketAddress destination) {
            event(
                    second,
                    pid,
                    comm,
                    new TcpConnect(
                            new TcpEndpoints(
                                    new InetSocketAddress(destination.getAddress(), 40000),
                                    destination,
                                    TcpState.CLOSE),
                            80_000,
                            111,
                            ConnectOutcome.REFUSED));
        }

        void exit(double second, int pid, int ppid, String comm, ExitOrigin origin, int status, int signal) {
            event(second, pid, comm, new Exit(ppid, status, signal, false, origin, SECOND_NS / 10, 4 << 20));
        }

        void killed(double second, int pid, String comm, int senderPid, long senderCgroup) {
            event(second, pid, comm, new Signal(senderPid, senderPid, "killer", senderCgroup, 9, Signal.SI_USER));
        }
    }

    private static void script(
            String name, long cgroup, List<KernelEvent> all, java.util.function.Consumer<Script> play) {
        play.accept(new Script(cgroup, all));
        SCRIPTS.put(name, workload(cgroup));
    }

    private static Workload workload(long cgroup) {
        return Workload.host(new Workload.Cgroup("node-1", cgroup, ""));
    }

    @BeforeAll
    static void run() throws Exception {
        List<KernelEvent> all = new ArrayList<>();
        // An interpreter starting: it probes optional files, then runs fine.
        script("interpreter", 1, all, s -> {
            for (int run = 0; run < 10; run++) {
                int pid = s.pid();
                for (String probe : List.of("pyvenv.cfg", "python3._pth", "pybuilddir.txt")) {
                    s.openFails(run * 2, pid, "python3", OpenFailed.ENOENT, "/usr/bin/" + probe);
                }
                s.exit(run * 2 + 0.05, pid, 1, "python3", ExitOrigin.MAIN, 0, 0);
            }
        });
        // A script's tools exiting 1 as tools do: grep found nothing, test was false.
        script("script tools", 2, all, s -> {
            int shell = s.pid();
            for (int i = 0; i < 60; i++) {
                s.exit(i, s.pid(), shell, i % 2 == 0 ? "grep" : "readlink", ExitOrigin.CHILD, 1, 0);
            }
        });
        // A program whose configuration was never mounted, restarted by its runtime.
        script("missing configuration", 3, all, s -> {
            for (int run = 0; run < 5; run++) {
                int pid = s.pid();
                s.openFails(run * 10, pid, "app", OpenFailed.ENOENT, CONFIG);
                s.exit(run * 10 + 0.001, pid, 1, "app", ExitOrigin.MAIN, 1, 0);
            }
        });
        // The same program run by a shell that is the container's main process.
        script("missing configuration, wrapped", 4, all, s -> {
            for (int run = 0; run < 5; run++) {
                int shell = s.pid();
                int app = s.pid();
                s.openFails(run * 10, app, "app", OpenFailed.ENOENT, CONFIG);
                s.exit(run * 10 + 0.001, app, shell, "app", ExitOrigin.CHILD, 1, 0);
                s.exit(run * 10 + 0.002, shell, 1, "sh", ExitOrigin.MAIN, 1, 0);
            }
        });
        // A script whose cat keeps failing on a file that never comes.
        script("helper fails for long", 5, all, s -> {
            int shell = s.pid();
            for (int i = 0; i <= 12; i++) {
                int cat = s.pid();
                s.openFails(i * 5, cat, "cat", OpenFailed.ENOENT, CONFIG);
                s.exit(i * 5 + 0.001, cat, shell, "cat", ExitOrigin.CHILD, 1, 0);
            }
        });
        // A script waiting for a file that comes after 10 s.
        script("wait for a file", 6, all, s -> {
            int shell = s.pid();
            for (int i = 0; i < 20; i++) {
                int cat = s.pid();
                s.openFails(i * 0.5, cat, "cat", OpenFailed.ENOENT, "/run/ready");
                s.exit(i * 0.5 + 0.001, cat, shell, "cat", ExitOrigin.CHILD, 1, 0);
            }
        });
        // A memory hog run by a shell, OOM-killed four times: the shell exits 137 each time.
        script("OOM loop", 7, all, s -> {
            for (int run = 0; run < 4; run++) {
                int shell = s.pid();
                int hog = s.pid();
                double at = run * 15;
                s.event(at, hog, "hog", new Signal(hog, hog, "hog", 7, 9, Signal.SI_KERNEL));
                s.event(at + 0.001, hog, "hog", new OomKill(hog, hog, "hog", 7, 32 << 20, 32 << 20, 64 << 20));
                s.exit(at + 0.002, hog, shell, "hog", ExitOrigin.CHILD, 0, 9);
                s.exit(at + 0.003, shell, 1, "sh", ExitOrigin.MAIN, 137, 0);
            }
        });
        // Killed with SIGKILL from outside (the kubelet, an operator).
        script("killed from outside", 8, all, s -> {
            int victim = s.pid();
            s.killed(1, victim, "server", 99, 100);
            s.exit(1.001, victim, 1, "server", ExitOrigin.MAIN, 0, 9);
        });
        // Stopped the usual ways: a SIGKILL from a process of its own (timeout), itself, SIGTERM.
        script("stopped", 9, all, s -> {
            for (int i = 0; i < 4; i++) {
                int victim = s.pid();
                s.killed(i * 10, victim, "worker", victim - 1, 9);
                s.exit(i * 10 + 0.001, victim, victim - 1, "worker", ExitOrigin.CHILD, 0, 9);
                int self = s.pid();
                s.killed(i * 10 + 1, self, "job", self, 9);
                s.exit(i * 10 + 1.001, self, 1, "job", ExitOrigin.MAIN, 0, 9);
                s.exit(i * 10 + 2, s.pid(), 1, "server", ExitOrigin.MAIN, 0, 15);
            }
        });
        // A worker that keeps segfaulting under a parent that restarts it.
        script("crashing worker", 10, all, s -> {
            int master = s.pid();
            for (int i = 0; i < 3; i++) {
                s.exit(i * 10, s.pid(), master, "worker", ExitOrigin.CHILD, 0, 11);
            }
        });
        // Exec probes failing during a slow start, then passing.
        script("probes while starting", 11, all, s -> {
            for (int i = 0; i < 6; i++) {
                int probe = s.pid();
                s.connectFails(i * 2, probe, "curl", new InetSocketAddress("127.0.0.1", 8080));
                s.exit(i * 2 + 0.001, probe, 1, "curl", ExitOrigin.VISITOR, 7, 0);
            }
        });
        // A dual-stack client: localhost is ::1 first, the server listens on 127.0.0.1 only.
        script("dual-stack client", 12, all, s -> {
            int client = s.pid();
            for (int i = 0; i < 30; i++) {
                s.connectFails(i * 2, client, "poller", LOCALHOST_V6);
            }
        });
        // A service retrying its database, which is down.
        script("database down", 13, all, s -> {
            int service = s.pid();
            for (int i = 0; i < 30; i++) {
                s.connectFails(i * 2, service, "api", DATABASE);
            }
        });
        // A service that exits when its database refuses, restarted each time.
        script("crash loop on a database", 14, all, s -> {
            for (int run = 0; run < 6; run++) {
                int pid = s.pid();
                s.connectFails(run * 10, pid, "api", DATABASE);
                s.exit(run * 10 + 0.001, pid, 1, "api", ExitOrigin.MAIN, 1, 0);
            }
        });
        // A job run again and again that waits about 3 s for a port each run, then completes.
        script("runs waiting for a port", 16, all, s -> {
            for (int run = 0; run < 20; run++) {
                int shell = s.pid();
                double at = run * 4;
                for (int i = 0; i < 6; i++) {
                    int probe = s.pid();
                    s.connectFails(at + i * 0.5, probe, "bash", DATABASE);
                    s.exit(at + i * 0.5 + 0.001, probe, shell, "bash", ExitOrigin.CHILD, 1, 0);
                }
                s.exit(at + 3.2, shell, 1, "bash", ExitOrigin.MAIN, 0, 0);
            }
        });
        // A failed open left by an earlier process with the same pid explains nothing.
        script("pid reused", 15, all, s -> {
            for (int run = 0; run < 3; run++) {
                s.openFails(run * 10, 15_500, "old", OpenFailed.ENOENT, "/etc/old.conf");
                s.exit(run * 10 + 5, 15_500, 1, "app", ExitOrigin.MAIN, 1, 0); // lived 0.1 s: started at +4.9 s
            }
        });
        findings = correlate(all);
    }

    private static List<Finding> correlate(List<KernelEvent> all) throws Exception {
        all.sort(Comparator.comparingLong(KernelEvent::timestampNs));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        var events = env.fromData(KernelEventSerializer.TYPE, all.toArray(KernelEvent[]::new))
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<KernelEvent>forBoundedOutOfOrderness(Duration.ofMillis(100))
                                .withTimestampAssigner((e, previous) -> e.timestampNs() / 1_000_000))
                .filter(new Relevance()) // what the job lets through to the correlator
                .map(e -> new EnrichedEvent(e, workload(e.cgroupId())), EnrichedEventSerializer.TYPE);
        List<Finding> collected = new ArrayList<>();
        try (CloseableIterator<Finding> it = TapioJob.findings(
                        TapioJob.byWorkload(events, true), CorrelationConfig.defaults(), false)
                .executeAndCollect("incidents")) {
            it.forEachRemaining(collected::add);
        }
        return collected;
    }

    /** Each incident (warning or above) of a script's workload, as its latest report: {@code pattern subject [cause]}. */
    private static Set<String> incidents(String script) {
        return LatestReports.described(findings, SCRIPTS.get(script).cgroup().id());
    }

    @Test
    void programsThatProbeOptionalFilesAndToolsThatExitOneRaiseNothing() {
        assertEquals(Set.of(), incidents("interpreter"));
        assertEquals(Set.of(), incidents("script tools"));
    }

    @Test
    void aCrashLoopIsOneIncidentWithTheCauseEachRunMet() {
        assertEquals(Set.of("crash_loop app [missing_file " + CONFIG + "]"), incidents("missing configuration"));
        Finding loop = latest("missing configuration");
        assertEquals(5, loop.count(), "the true count, once it settled");
        assertTrue(loop.summary().contains("each run met \"open of " + CONFIG), loop.summary());
        assertTrue(loop.recommendation().startsWith("Mount or create " + CONFIG), loop.recommendation());
    }

    @Test
    void aHelperWhoseFailureMakesTheMainProcessFailIsTheIncidentsProgram() {
        assertEquals(
                Set.of("crash_loop app [missing_file " + CONFIG + "]"), incidents("missing configuration, wrapped"));
    }

    @Test
    void aHelperFailingOnAMissingFileIsAnIncidentOnlyWhenItLasts() {
        assertEquals(
                Set.of("missing_file " + CONFIG + " [missing_file " + CONFIG + "]"),
                incidents("helper fails for long"));
        assertEquals(Set.of(), incidents("wait for a file"));
    }

    @Test
    void anOomLoopIsOneIncidentThatEscalatesAndExplainsItsParentsFailures() {
        assertEquals(Set.of("oom_crash_loop hog"), incidents("OOM loop"));
        assertEquals(Severity.CRITICAL, latest("OOM loop").severity());
        assertEquals(4, latest("OOM loop").count());
    }

    @Test
    void aKillFromOutsideIsAnIncidentAndTheUsualStopsAreNot() {
        assertEquals(Set.of("killed_by_signal killer (pid 99)"), incidents("killed from outside"));
        assertEquals(Set.of(), incidents("stopped"));
    }

    @Test
    void aHelperThatKeepsCrashingIsACrashLoop() {
        assertEquals(Set.of("crash_loop worker"), incidents("crashing worker"));
    }

    @Test
    void passingFailuresOfProbesAndDualStackFallbacksRaiseNothing() {
        assertEquals(Set.of(), incidents("probes while starting"));
        assertEquals(Set.of(), incidents("dual-stack client"));
    }

    @Test
    void aDependencyThatStaysDownIsOneIncidentWhetherTheServiceRetriesOrCrashes() {
        assertEquals(Set.of("dependency_unreachable 10.0.0.7:5432"), incidents("database down"));
        assertEquals(Set.of(), incidents("runs waiting for a port"), "each run got its port and completed");
        assertEquals(
                Set.of("crash_loop api [dependency_unreachable 10.0.0.7:5432]"), incidents("crash loop on a database"));
    }

    @Test
    void evidenceOfAnEarlierProcessWithTheSamePidExplainsNothing() {
        assertEquals(Set.of("crash_loop app"), incidents("pid reused"));
    }

    private static Finding latest(String script) {
        return LatestReports.of(findings, SCRIPTS.get(script).cgroup().id()).getLast();
    }
}
