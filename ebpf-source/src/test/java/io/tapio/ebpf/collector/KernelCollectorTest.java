package io.tapio.ebpf.collector;

import static io.tapio.ebpf.testing.RecordingReader.eventOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.BlockIoLatency;
import io.tapio.ebpf.abi.BlockOp;
import io.tapio.ebpf.abi.ConnectOutcome;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OomKill;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.Reason;
import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.ebpf.abi.Signal;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.ebpf.abi.TcpReset;
import io.tapio.ebpf.testing.RecordingReader;
import io.tapio.testing.Commands;
import io.tapio.testing.WorkloadCgroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real programs, loaded into this kernel and attached, watching real processes that the
 * tests start and make fail. Runs as root.
 */
class KernelCollectorTest {
    private static final long SELF = ProcessHandle.current().pid();
    private static final CollectorConfig CONFIG = CollectorConfig.builder()
            .ringBufferBytes(8 << 20)
            .runqThreshold(Duration.ofMillis(1))
            .blockThreshold(Duration.ZERO)
            .connectThreshold(Duration.ZERO)
            .build();

    private static KernelCollector collector;
    private static RecordingReader events;

    @BeforeAll
    static void load() {
        collector = KernelCollector.open(CONFIG);
        events = new RecordingReader(collector.reader());
    }

    @AfterAll
    static void unload() {
        events.close();
        collector.close();
    }

    @Test
    void everyTypeIsAvailableAndAttachedOnThisKernel() {
        assertEquals(List.of(), List.copyOf(collector.unavailable().keySet()));
        assertEquals(CONFIG.enabledTypes(), collector.attachedTypes());
    }

    @Test
    void execReportsTheFilenameAndParent() {
        Commands.Result result = Commands.run("/bin/true");

        KernelEvent exec = events.await(
                "exec of /bin/true",
                e -> eventOf(EventType.EXEC, result.pid()).test(e)
                        && e.payload(Exec.class).filename().equals("/bin/true"));
        assertEquals("true", exec.comm());
        assertEquals(ProcessHandle.current().pid(), exec.payload(Exec.class).ppid(), "started by this JVM");
    }

    @Test
    void exitReportsTheExitCode() {
        Commands.Result result = Commands.run("/bin/sh", "-c", "exit 3");

        Exit exit = events.await("exit of sh", eventOf(EventType.EXIT, result.pid()))
                .payload(Exit.class);
        assertEquals(3, exit.exitStatus());
        assertEquals(0, exit.signal());
        assertTrue(exit.abnormal());
        assertTrue(exit.lifetimeNs() > 0);
        assertTrue(exit.maxRssBytes() > 0, "max RSS of a process that ran: " + exit.maxRssBytes());
    }

    /**
     * What each exit was to its cgroup: the process this JVM moved into it (main, as a runtime
     * or systemd starts one), one a shell inside started (a helper), the first process of a new
     * pid namespace (a container's main), and one that joined that namespace from outside the
     * cgroup (an exec probe, kubectl exec).
     */
    @Test
    void exitsTellTheMainProcessFromHelpersAndVisitors() throws Exception {
        try (WorkloadCgroup cgroup = WorkloadCgroup.create()) {
            String join = "echo $$ > " + cgroup.path().resolve("cgroup.procs");
            Commands.Result main = Commands.run(cgroup.wrap("/bin/sh -c 'exit 1'"));
            Commands.Result helper = Commands.run(cgroup.wrap("/bin/sh -c '/bin/false & echo $!; wait'"));
            Process init = Commands.start(
                    List.of("/usr/bin/unshare", "--pid", "--fork", "/bin/sh", "-c", join + " && exec /bin/sleep 3"));
            long initPid = awaitChild(init);
            Commands.Result visitor = Commands.run(
                    "/usr/bin/nsenter", "-t", Long.toString(initPid), "-p", "--", "/bin/sh", "-c", join + " && exit 1");
            // A namespace's init ignores SIGTERM from outside: it ends by itself.
            assertTrue(init.waitFor(20, TimeUnit.SECONDS));

            assertEquals(ExitOrigin.MAIN, origin(main.pid()));
            assertEquals(ExitOrigin.CHILD, origin(Long.parseLong(helper.output().strip())));
            assertEquals(ExitOrigin.MAIN, origin(initPid));
            KernelEvent joined = events.await(
                    "exit of the process that joined the namespace",
                    e -> e.type() == EventType.EXIT
                            && e.cgroupId() == cgroup.id()
                            && e.payload(Exit.class).ppid() == visitor.pid());
            assertEquals(ExitOrigin.VISITOR, joined.payload(Exit.class).origin());
        }
    }

    private static ExitOrigin origin(long pid) {
        return events.await("exit of " + pid, eventOf(EventType.EXIT, pid))
                .payload(Exit.class)
                .origin();
    }

    /** The pid of the child unshare forked (the namespace's init), once it runs. */
    private static long awaitChild(Process unshare) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var child = unshare.children().findFirst();
            if (child.isPresent()) {
                Thread.sleep(200); // let it join the cgroup and exec
                return child.get().pid();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("unshare started no child");
    }

    @Test
    void sigkillFromAnotherProcessIsSeenFromBothSides() throws InterruptedException {
        Process target = Commands.start(List.of("/bin/sleep", "30"));
        Commands.Result killer = Commands.run("/bin/sh", "-c", "kill -9 " + target.pid());
        assertTrue(target.waitFor(10, TimeUnit.SECONDS));

        KernelEvent signal = events.await("SIGKILL to sleep", eventOf(EventType.SIGNAL, target.pid()));
        Signal sent = signal.payload(Signal.class);
        assertEquals(9, sent.signal());
        assertEquals(killer.pid(), sent.senderPid());
        assertEquals("sh", sent.senderComm());
        assertEquals(Signal.SI_USER, sent.code());
        assertEquals("sleep", signal.comm());

        Exit exit = events.await("exit of sleep", eventOf(EventType.EXIT, target.pid()))
                .payload(Exit.class);
        assertEquals(9, exit.signal());
        assertEquals(0, exit.exitStatus());
    }

    @Test
    void failedOpenIsReportedWithPathAndErrnoAndSuccessfulOpenIsNot() throws IOException {
        String missing = "/tmp/tapio-missing-" + UUID.randomUUID();
        Path present = Files.writeString(Files.createTempFile("tapio-present", ".txt"), "here");
        try {
            Commands.Result failed = Commands.run("/bin/cat", missing);
            Commands.Result succeeded = Commands.run("/bin/cat", present.toString());
            assertEquals(0, succeeded.exitCode());

            OpenFailed open = events.await(
                            "failed open",
                            e -> eventOf(EventType.OPEN_FAILED, failed.pid()).test(e)
                                    && e.payload(OpenFailed.class).path().equals(missing))
                    .payload(OpenFailed.class);
            assertEquals(OpenFailed.ENOENT, open.error());

            // The exit is recorded after the open by the same task: once it is here, an open would be too.
            events.await("exit of the successful cat", eventOf(EventType.EXIT, succeeded.pid()));
            assertEquals(List.of(), events.matching(eventOf(EventType.OPEN_FAILED, succeeded.pid())));
        } finally {
            Files.delete(present);
        }
    }

    @Test
    void refusedConnectIsReportedWithTheDestination() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), 2000);
        } catch (IOException expected) {
            // refused, as intended
        }

        KernelEvent event = events.await(
                "refused connect",
                e -> eventOf(EventType.TCP_CONNECT, SELF).test(e)
                        && e.payload(TcpConnect.class).endpoints().destination().getPort() == closedPort);
        TcpConnect connect = event.payload(TcpConnect.class);
        assertEquals(ConnectOutcome.REFUSED, connect.outcome());
        assertEquals(111, connect.error());
        assertEquals(
                InetAddress.getLoopbackAddress(),
                connect.endpoints().destination().getAddress());
        assertTrue(connect.latencyNs() > 0);
    }

    @Test
    void establishedConnectReportsItsLatencyAndAResetIsReceived() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            try (Socket accepted = server.accept()) {
                accepted.setSoLinger(true, 0); // close with a RST
            }
            int port = server.getLocalPort();

            TcpConnect connect = events.await(
                            "established connect",
                            e -> eventOf(EventType.TCP_CONNECT, SELF).test(e)
                                    && e.payload(TcpConnect.class)
                                                    .endpoints()
                                                    .destination()
                                                    .getPort()
                                            == port)
                    .payload(TcpConnect.class);
            assertEquals(ConnectOutcome.ESTABLISHED, connect.outcome());
            assertTrue(connect.latencyNs() > 0);

            TcpReset reset = events.await(
                            "reset on the client socket",
                            e -> eventOf(EventType.TCP_RESET, SELF).test(e)
                                    && e.payload(TcpReset.class)
                                                    .endpoints()
                                                    .destination()
                                                    .getPort()
                                            == port)
                    .payload(TcpReset.class);
            assertEquals(client.getLocalPort(), reset.endpoints().source().getPort());
        }
    }

    @Test
    void oomKillNamesTheVictimAndTheMemoryLimit() throws InterruptedException {
        long limit = 64L << 20;
        try (WorkloadCgroup cgroup = WorkloadCgroup.withMemoryLimit(limit)) {
            Process hog = Commands.start(cgroup.wrap("/usr/bin/tail /dev/zero"));
            assertTrue(hog.waitFor(30, TimeUnit.SECONDS), "the memory hog was not killed");

            KernelEvent oom = events.await("OOM kill of tail", eventOf(EventType.OOM_KILL, hog.pid()));
            assertEquals("tail", oom.comm());
            assertEquals(cgroup.id(), oom.cgroupId());
            OomKill kill = oom.payload(OomKill.class);
            assertEquals(limit, kill.memcgLimitBytes());
            assertTrue(kill.memcgUsageBytes() >= limit * 9 / 10, "usage at the kill: " + kill.memcgUsageBytes());
            assertEquals(
                    9,
                    events.await("exit of tail", eventOf(EventType.EXIT, hog.pid()))
                            .payload(Exit.class)
                            .signal());
        }
    }

    @Test
    void runQueueWaitsOverTheThresholdAreReported() throws InterruptedException {
        AtomicBoolean spinning = new AtomicBoolean(true);
        int threads = 2 * Runtime.getRuntime().availableProcessors() + 1;
        List<Thread> spinners = java.util.stream.IntStream.range(0, threads)
                .mapToObj(i -> Thread.ofPlatform().name("tapio-spin-" + i).start(() -> {
                    while (spinning.get()) {
                        Thread.onSpinWait();
                    }
                }))
                .toList();
        try {
            KernelEvent wait = events.await(
                    "run-queue wait of a spinning thread",
                    e -> eventOf(EventType.RUNQ_LATENCY, SELF).test(e)
                            && e.comm().startsWith("tapio-spin-"));
            assertTrue(wait.payload(RunqLatency.class).latencyNs()
                    >= Duration.ofMillis(1).toNanos());
        } finally {
            spinning.set(false);
            for (Thread t : spinners) {
                t.join();
            }
        }
    }

    @Test
    void blockIoIsReportedForTheSubmitter() throws IOException {
        Path file = Files.createTempFile(Path.of("/var/tmp"), "tapio-block", ".bin");
        try {
            Commands.Result dd =
                    Commands.run("/usr/bin/dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=4", "oflag=direct");
            assertEquals(0, dd.exitCode(), dd.output());

            BlockIoLatency io = events.await(
                            "direct write by dd",
                            e -> eventOf(EventType.BLOCK_IO_LATENCY, dd.pid()).test(e)
                                    && e.payload(BlockIoLatency.class).op() == BlockOp.WRITE)
                    .payload(BlockIoLatency.class);
            assertTrue(io.latencyNs() > 0);
            assertTrue(
                    io.bytes() > 0 && io.bytes() % 512 == 0 && io.bytes() <= 1 << 20,
                    "a direct write of part of dd's 1 MiB block, in whole sectors: " + io.bytes());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void eventTimestampsAreOnTheJvmsMonotonicClock() {
        long before = System.nanoTime();
        Commands.Result result = Commands.run("/bin/true");
        long after = System.nanoTime();

        KernelEvent exec = events.await("exec of /bin/true", eventOf(EventType.EXEC, result.pid()));
        assertTrue(
                exec.timestampNs() > before && exec.timestampNs() < after,
                before + " < " + exec.timestampNs() + " < " + after);
    }

    @Test
    void filtersAreAppliedInTheKernelAndCounted() {
        String ignoredDir = "/tmp/tapio-ignored-" + UUID.randomUUID() + "/";
        collector.reconfigure(CONFIG.toBuilder()
                .ignoreComm("tail")
                .addPathRule(PathRule.ignore(ignoredDir))
                .build());
        try {
            KernelStats before = collector.kernelStats();
            Commands.Result byComm = Commands.run("/usr/bin/tail", "/tmp/tapio-missing-" + UUID.randomUUID());
            Commands.Result byPath = Commands.run("/bin/cat", ignoredDir + "file");
            Commands.Result reported = Commands.run("/bin/cat", "/tmp/tapio-missing-" + UUID.randomUUID());
            events.await("the failed open that no filter matches", eventOf(EventType.OPEN_FAILED, reported.pid()));
            KernelStats delta = collector.kernelStats().since(before);

            assertEquals(List.of(), events.matching(eventOf(EventType.OPEN_FAILED, byComm.pid())));
            assertEquals(List.of(), events.matching(eventOf(EventType.OPEN_FAILED, byPath.pid())));
            assertTrue(delta.count(EventType.OPEN_FAILED, Reason.IGNORED_COMM) >= 1);
            assertTrue(delta.count(EventType.OPEN_FAILED, Reason.IGNORED_PATH) >= 1);
            assertTrue(delta.count(EventType.OPEN_FAILED, Reason.SUCCEEDED) >= 1, "cat opens its libraries");
        } finally {
            collector.reconfigure(CONFIG);
        }
    }

    @Test
    void aTypeDisabledAtRunTimeIsDetachedAndDeliversNothing() {
        collector.reconfigure(
                CONFIG.toBuilder().enabledTypes(List.of(EventType.EXIT)).build());
        try {
            assertEquals(java.util.Set.of(EventType.EXIT), collector.attachedTypes());
            Commands.Result result = Commands.run("/bin/true");
            events.await("exit of true", eventOf(EventType.EXIT, result.pid()));
            assertFalse(events.matching(eventOf(EventType.EXEC, result.pid()))
                    .iterator()
                    .hasNext());
        } finally {
            collector.reconfigure(CONFIG);
        }
        assertEquals(CONFIG.enabledTypes(), collector.attachedTypes());
    }
}
