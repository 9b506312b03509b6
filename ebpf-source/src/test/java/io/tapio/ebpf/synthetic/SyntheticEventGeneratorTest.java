package io.tapio.ebpf.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.ConnectOutcome;
import io.tapio.ebpf.abi.EventPayload;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OomKill;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.ebpf.abi.Signal;
import io.tapio.ebpf.abi.TcpConnect;
import io.tapio.ebpf.synthetic.InjectedFault.CrashLoop;
import io.tapio.ebpf.synthetic.InjectedFault.MissingFile;
import io.tapio.ebpf.synthetic.InjectedFault.OomLoop;
import io.tapio.ebpf.synthetic.InjectedFault.RefusedConnections;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SyntheticEventGeneratorTest {
    private static final long START = 5_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private static final OomLoop OOM =
            new OomLoop(new Workload(101, "payments"), Duration.ofSeconds(30), Duration.ofSeconds(5), 256L << 20);
    private static final CrashLoop CRASH =
            new CrashLoop(new Workload(102, "checkout"), Duration.ofSeconds(20), Duration.ZERO, 1);
    private static final RefusedConnections REFUSED = new RefusedConnections(
            new Workload(103, "orders"),
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            new InetSocketAddress("10.96.5.5", 5432));
    private static final MissingFile MISSING = new MissingFile(
            new Workload(104, "billing"), Duration.ofSeconds(10), Duration.ofSeconds(2), "/etc/config/app.yaml");

    private static SyntheticConfig.Builder withAllFaults() {
        return SyntheticConfig.builder().fault(OOM).fault(CRASH).fault(REFUSED).fault(MISSING);
    }

    @Test
    void theSameSeedConfigAndStartGiveTheSameRecords() {
        SyntheticConfig config =
                withAllFaults().seed(42).eventsPerSecond(20_000).build();
        List<KernelEvent> first = new SyntheticEventGenerator(config, START).next(START + 3 * SECOND);

        List<KernelEvent> second = new ArrayList<>();
        SyntheticEventGenerator again = new SyntheticEventGenerator(config, START);
        for (long until = START; until < START + 3 * SECOND; until += 123_456_789) {
            second.addAll(again.next(until));
        }
        second.addAll(again.next(START + 3 * SECOND));

        assertTrue(first.size() > 60_000, "events: " + first.size());
        assertEquals(first, second);
        SyntheticConfig otherSeed =
                withAllFaults().seed(43).eventsPerSecond(20_000).build();
        assertNotEquals(first, new SyntheticEventGenerator(otherSeed, START).next(START + 3 * SECOND));
    }

    @Test
    void timestampsStartAtTheStartAndNeverDecrease() {
        SyntheticEventGenerator generator =
                new SyntheticEventGenerator(withAllFaults().build(), START);
        long previous = START;
        for (KernelEvent event : generator.next(START + 10 * SECOND)) {
            assertTrue(event.timestampNs() >= previous, event.toString());
            previous = event.timestampNs();
        }
        assertTrue(generator.nextTimestampNs() > START + 10 * SECOND);
    }

    @Test
    void producesExactlyTheConfiguredRate() {
        SyntheticEventGenerator generator = new SyntheticEventGenerator(
                SyntheticConfig.builder().eventsPerSecond(20_000).build(), START);

        assertEquals(START, generator.nextTimestampNs());
        assertEquals(20_000, generator.next(START + SECOND - 1).size());
        assertEquals(START + SECOND, generator.nextTimestampNs());
    }

    @Test
    void withoutBackgroundOrFaultsThereIsNothingToWaitFor() {
        SyntheticEventGenerator generator = new SyntheticEventGenerator(
                SyntheticConfig.builder().eventsPerSecond(0).build(), START);

        assertEquals(Long.MAX_VALUE, generator.nextTimestampNs());
        assertEquals(List.of(), generator.next(Long.MAX_VALUE));
    }

    @Test
    void mixesTheTypesByTheirWeights() {
        SyntheticConfig config =
                SyntheticConfig.builder().eventsPerSecond(200_000).build();
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        run(config, SECOND, event -> counts.merge(event.type(), 1, Integer::sum));

        double total =
                config.mix().values().stream().mapToDouble(Double::doubleValue).sum();
        for (EventType type : EventType.values()) {
            double p = config.mix().get(type) / total;
            double expected = 200_000 * p;
            double tolerance = 5 * Math.sqrt(200_000 * p * (1 - p)) + 2;
            int count = counts.getOrDefault(type, 0);
            assertTrue(Math.abs(count - expected) <= tolerance, type + ": " + count + ", expected " + expected);
        }
    }

    @Test
    void spreadsTheBackgroundOverItsWorkloads() {
        SyntheticConfig config = withAllFaults().workloads(20).build();
        Set<Long> cgroups = new HashSet<>();
        run(config, 10 * SECOND, event -> {
            if (config.faultOf(event).isEmpty()) {
                cgroups.add(event.cgroupId());
            }
        });

        Set<Long> expected = new HashSet<>();
        for (long i = 1; i <= 20; i++) {
            expected.add(SyntheticConfig.BACKGROUND_CGROUP_ID + i);
        }
        assertEquals(expected, cgroups);
    }

    @Test
    void backgroundFailuresDoNotRepeatLikeAFault() {
        SyntheticConfig config =
                SyntheticConfig.builder().eventsPerSecond(100_000).build();
        List<String> paths = new ArrayList<>();
        List<InetSocketAddress> refusedOrLost = new ArrayList<>();
        int[] exits = new int[2]; // all, clean
        int[] connects = new int[2]; // all, established
        run(config, 2 * SECOND, event -> {
            switch (event.payload()) {
                case OpenFailed open -> paths.add(open.path());
                case Exit exit -> {
                    exits[0]++;
                    exits[1] += exit.abnormal() ? 0 : 1;
                    assertTrue(exit.lifetimeNs() >= 0, event.toString());
                }
                case TcpConnect connect -> {
                    connects[0]++;
                    if (connect.outcome() == ConnectOutcome.ESTABLISHED) {
                        connects[1]++;
                    } else {
                        refusedOrLost.add(connect.endpoints().destination());
                    }
                }
                default -> {}
            }
        });

        assertTrue(
                paths.size() > 10_000 && new HashSet<>(paths).size() >= 0.99 * paths.size(),
                paths.size() + " failed opens, " + new HashSet<>(paths).size() + " paths");
        assertFalse(paths.contains(MISSING.path()));
        assertTrue(exits[1] >= 0.95 * exits[0], exits[1] + " of " + exits[0] + " exits clean");
        assertTrue(connects[1] >= 0.95 * connects[0], connects[1] + " of " + connects[0] + " connects established");
        assertTrue(new HashSet<>(refusedOrLost).size() >= 0.99 * refusedOrLost.size(), "failed connects repeat");
    }

    @Test
    void playsEachFaultAtItsPeriodInItsOwnWorkload() {
        SyntheticConfig config = withAllFaults().eventsPerSecond(1_000).build();
        Map<InjectedFault, List<KernelEvent>> byFault = new HashMap<>();
        long span = 120 * SECOND - 1;
        run(
                config,
                span,
                event -> config.faultOf(event)
                        .ifPresent(fault -> byFault.computeIfAbsent(fault, f -> new ArrayList<>())
                                .add(event)));

        for (InjectedFault fault : config.faults()) {
            for (KernelEvent event : byFault.get(fault)) {
                assertEquals(fault.workload().comm(), event.comm(), event.toString());
            }
        }
        assertOomLoop(byFault.get(OOM), occurrences(OOM, span));
        assertCrashLoop(byFault.get(CRASH), occurrences(CRASH, span));
        assertRepeats(byFault.get(REFUSED), REFUSED, span, payload -> {
            TcpConnect connect = (TcpConnect) payload;
            assertEquals(ConnectOutcome.REFUSED, connect.outcome());
            assertEquals(111, connect.error());
            assertEquals(REFUSED.destination(), connect.endpoints().destination());
        });
        assertMissingFileLoop(byFault.get(MISSING), occurrences(MISSING, span));
    }

    /** Each cycle: the failed open of the configuration, the exit with status 1 a moment later, the restart. */
    private static void assertMissingFileLoop(List<KernelEvent> events, List<Long> occurrences) {
        assertEquals(3 * occurrences.size(), events.size(), events.toString());
        for (int n = 0; n < occurrences.size(); n++) {
            KernelEvent open = events.get(3 * n);
            KernelEvent exit = events.get(3 * n + 1);
            assertEquals(occurrences.get(n), open.timestampNs());
            assertEquals(new OpenFailed(OpenFailed.ENOENT, 0x80000, MISSING.path()), open.payload());
            assertEquals(open.pid(), exit.pid());
            assertEquals(1, exit.payload(Exit.class).exitStatus());
            assertEquals(ExitOrigin.MAIN, exit.payload(Exit.class).origin());
            assertRestart(exit, events.get(3 * n + 2), MISSING);
        }
    }

    /** Each cycle: the kernel's SIGKILL, the OOM kill, the exit by SIGKILL, the restart. */
    private static void assertOomLoop(List<KernelEvent> events, List<Long> occurrences) {
        assertEquals(4 * occurrences.size(), events.size(), events.toString());
        for (int n = 0; n < occurrences.size(); n++) {
            KernelEvent signal = events.get(4 * n);
            KernelEvent oom = events.get(4 * n + 1);
            KernelEvent exit = events.get(4 * n + 2);
            KernelEvent exec = events.get(4 * n + 3);
            assertEquals(
                    new Signal(signal.pid(), signal.pid(), "payments", 101, 9, Signal.SI_KERNEL), signal.payload());
            assertEquals(occurrences.get(n), signal.timestampNs());
            OomKill kill = oom.payload(OomKill.class);
            assertEquals(OOM.memoryLimitBytes(), kill.memcgLimitBytes());
            assertEquals(OOM.memoryLimitBytes(), kill.memcgUsageBytes());
            assertTrue(oom.timestampNs() - signal.timestampNs() < 1_000_000);
            assertEquals(9, exit.payload(Exit.class).signal());
            assertEquals(signal.pid(), exit.pid());
            assertRestart(exit, exec, OOM);
        }
    }

    /** Each cycle: the exit with the fault's status, the restart. */
    private static void assertCrashLoop(List<KernelEvent> events, List<Long> occurrences) {
        assertEquals(2 * occurrences.size(), events.size(), events.toString());
        for (int n = 0; n < occurrences.size(); n++) {
            KernelEvent exit = events.get(2 * n);
            assertEquals(occurrences.get(n), exit.timestampNs());
            assertEquals(CRASH.exitStatus(), exit.payload(Exit.class).exitStatus());
            assertEquals(0, exit.payload(Exit.class).signal());
            assertRestart(exit, events.get(2 * n + 1), CRASH);
        }
    }

    private static void assertRestart(KernelEvent exit, KernelEvent exec, InjectedFault fault) {
        Exit exited = exit.payload(Exit.class);
        assertEquals(
                new Exec(exited.ppid(), "/usr/local/bin/" + fault.workload().comm()), exec.payload());
        assertNotEquals(exit.pid(), exec.pid());
        assertTrue(exec.timestampNs() > exit.timestampNs()
                && exec.timestampNs() < exit.timestampNs() + fault.period().toNanos() / 2 + SECOND);
        assertTrue(exited.lifetimeNs() >= fault.period().toNanos() / 2, exit.toString());
    }

    private static void assertRepeats(
            List<KernelEvent> events, InjectedFault fault, long span, Consumer<EventPayload> payloadCheck) {
        List<Long> timestamps = new ArrayList<>();
        for (KernelEvent event : events) {
            timestamps.add(event.timestampNs());
            payloadCheck.accept(event.payload());
        }
        assertEquals(occurrences(fault, span), timestamps);
    }

    private static List<Long> occurrences(InjectedFault fault, long span) {
        List<Long> occurrences = new ArrayList<>();
        for (long n = 0; fault.occurrenceNs(START, n) <= START + span; n++) {
            occurrences.add(fault.occurrenceNs(START, n));
        }
        return occurrences;
    }

    /** Streams the events of {@code span} nanoseconds from the start a second at a time. */
    private static void run(SyntheticConfig config, long span, Consumer<KernelEvent> sink) {
        SyntheticEventGenerator generator = new SyntheticEventGenerator(config, START);
        for (long until = START; until < START + span; ) {
            until = Math.min(START + span, until + SECOND);
            generator.next(until).forEach(sink);
        }
    }
}
