package io.tapio.ebpf.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tapio.ebpf.abi.EventType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SyntheticConfigTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final InjectedFault OOM =
            new InjectedFault.OomLoop(new Workload(101, "payments"), MINUTE, Duration.ZERO, 256L << 20);
    private static final InjectedFault REFUSED = new InjectedFault.RefusedConnections(
            new Workload(102, "orders"), MINUTE, Duration.ofSeconds(5), new InetSocketAddress("10.96.5.5", 5432));

    @Test
    void defaultsToABusyNode() {
        SyntheticConfig config = SyntheticConfig.builder().build();

        assertEquals(10_000, config.eventsPerSecond());
        assertEquals(50, config.workloads());
        assertEquals(SyntheticConfig.DEFAULT_MIX, config.mix());
        assertEquals(List.of(), config.faults());
    }

    @Test
    void aTypeSetToZeroIsLeftOutOfTheMix() {
        SyntheticConfig config =
                SyntheticConfig.builder().weight(EventType.OOM_KILL, 0).build();

        assertEquals(0.0, config.mix().get(EventType.OOM_KILL));
        assertEquals(
                SyntheticConfig.DEFAULT_MIX.get(EventType.EXEC), config.mix().get(EventType.EXEC));
    }

    @Test
    void survivesJavaSerialization() throws IOException, ClassNotFoundException {
        SyntheticConfig config =
                SyntheticConfig.builder().seed(7).fault(OOM).fault(REFUSED).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(config, in.readObject());
        }
    }

    @Test
    void rejectsRatesWorkloadsAndWeightsOutOfRange() {
        assertRejected(() -> SyntheticConfig.builder().eventsPerSecond(-1).build());
        assertRejected(() -> SyntheticConfig.builder()
                .eventsPerSecond(SyntheticConfig.MAX_EVENTS_PER_SECOND + 1)
                .build());
        assertRejected(() -> SyntheticConfig.builder().workloads(0).build());
        assertRejected(() -> SyntheticConfig.builder()
                .workloads(SyntheticConfig.MAX_WORKLOADS + 1)
                .build());
        assertRejected(
                () -> SyntheticConfig.builder().weight(EventType.EXEC, -1).build());
        assertRejected(() ->
                SyntheticConfig.builder().weight(EventType.EXEC, Double.NaN).build());
        assertRejected(() -> SyntheticConfig.builder()
                .weight(EventType.EXEC, Double.POSITIVE_INFINITY)
                .build());
    }

    @Test
    void needsAWeightedTypeOnlyWhenThereIsABackground() {
        SyntheticConfig.Builder nothing = SyntheticConfig.builder();
        for (EventType type : EventType.values()) {
            nothing.weight(type, 0);
        }
        assertRejected(nothing::build);
        assertEquals(0, nothing.eventsPerSecond(0).build().eventsPerSecond());
    }

    @Test
    void keepsEachFaultInAWorkloadOfItsOwn() {
        Workload background = new Workload(SyntheticConfig.BACKGROUND_CGROUP_ID + 3, "payments");
        assertRejected(() -> SyntheticConfig.builder()
                .fault(new InjectedFault.CrashLoop(background, MINUTE, Duration.ZERO, 1))
                .build());
        assertRejected(() -> SyntheticConfig.builder()
                .fault(OOM)
                .fault(new InjectedFault.CrashLoop(OOM.workload(), MINUTE, Duration.ZERO, 1))
                .build());
    }

    @Test
    void rejectsFaultsThatCouldNotPlayOut() {
        Workload workload = new Workload(1, "app");
        assertRejected(() -> new Workload(0, "app"));
        assertRejected(() -> new Workload(1, "a-name-longer-than-comm"));
        assertRejected(() -> new InjectedFault.CrashLoop(workload, Duration.ofMillis(99), Duration.ZERO, 1));
        assertRejected(() -> new InjectedFault.CrashLoop(workload, MINUTE, Duration.ofSeconds(-1), 1));
        assertRejected(() -> new InjectedFault.CrashLoop(workload, MINUTE, Duration.ZERO, 0));
        assertRejected(() -> new InjectedFault.OomLoop(workload, MINUTE, Duration.ZERO, 0));
        assertRejected(() -> new InjectedFault.MissingFile(workload, MINUTE, Duration.ZERO, "/" + "x".repeat(255)));
        assertRejected(() -> new InjectedFault.RefusedConnections(
                workload, MINUTE, Duration.ZERO, InetSocketAddress.createUnresolved("db.example", 5432)));
    }

    @Test
    void placesOccurrencesOnePeriodApartFromTheOffset() {
        long start = 1_000;
        assertEquals(start + 5_000_000_000L, REFUSED.occurrenceNs(start, 0));
        assertEquals(start + 5_000_000_000L + 2 * 60_000_000_000L, REFUSED.occurrenceNs(start, 2));
    }

    private static void assertRejected(Executable executable) {
        assertThrows(IllegalArgumentException.class, executable);
    }
}
