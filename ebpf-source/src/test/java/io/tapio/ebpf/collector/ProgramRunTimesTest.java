package io.tapio.ebpf.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Program;
import io.tapio.ebpf.libbpf.ProgramRunTime;
import io.tapio.ebpf.libbpf.RunTimeStats;
import io.tapio.testing.Commands;
import io.tapio.testing.OpenFds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel times the real programs while the statistics' file descriptor is open, and only then. */
class ProgramRunTimesTest {
    private static final Path SYSCTL = Path.of("/proc/sys/kernel/bpf_stats_enabled");

    @Test
    void programsAreTimedWhileTheStatisticsAreOpenAndOnlyThen() throws IOException {
        assumeTrue(
                Files.readString(SYSCTL).trim().equals("0"),
                "kernel.bpf_stats_enabled is on here: programs are timed anyway");
        try (KernelCollector collector = KernelCollector.open(CollectorConfig.builder()
                .ringBufferBytes(1 << 20)
                .enabledTypes(List.of(EventType.EXEC))
                .build())) {
            ProgramRunTime during;
            try (RunTimeStats stats = RunTimeStats.enable()) {
                assertEquals(1, OpenFds.to(OpenFds.BPF_STATS), "the statistics are held by one file descriptor");
                ProgramRunTime before = collector.programRunTimes().get(Program.EXEC);
                for (int i = 0; i < 3; i++) {
                    Commands.check("/bin/true");
                }
                during = collector.programRunTimes().get(Program.EXEC).since(before);
            }

            assertTrue(during.runs() >= 3, "three execs (and whatever else the machine ran): " + during);
            assertTrue(during.nanos() > 0, during.toString());
            assertEquals(0, OpenFds.to(OpenFds.BPF_STATS), "closed");
            assertEquals("0", Files.readString(SYSCTL).trim(), "the sysctl is never touched");
            ProgramRunTime closed = collector.programRunTimes().get(Program.EXEC);
            Commands.check("/bin/true");
            assertEquals(closed, collector.programRunTimes().get(Program.EXEC), "no longer timed once closed");
            assertEquals(
                    ProgramRunTime.NONE,
                    collector.programRunTimes().get(Program.TCP_STATE),
                    "a detached program never runs");
        }
    }
}
