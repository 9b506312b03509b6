package io.tapio.bench.overhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventType;
import io.tapio.testing.OpenFds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code tapio bench overhead}'s attribution, on the real programs and a real 50-spawn loop: the
 * programs the spawns run are each timed, their counts match the spawns, the variants are what
 * they say, and the kernel stops timing programs afterwards. (Its timings are printed by the
 * bench, not asserted here.)
 */
class OverheadBenchmarkTest {
    private static final int SPAWNS = 50;
    private static final Path SYSCTL = Path.of("/proc/sys/kernel/bpf_stats_enabled");

    @Test
    void theProgramsTheSpawnsRunAreEachTimedAndTheStatisticsEndWithTheBench() throws IOException {
        String sysctl = Files.readString(SYSCTL);
        List<String> progress = new ArrayList<>();

        List<OverheadBenchmark.Result> results = OverheadBenchmark.run(
                new OverheadBenchmark.Options(
                        1,
                        SPAWNS,
                        1,
                        1,
                        Set.of(OverheadBenchmark.Workload.SPAWN_LOOP),
                        true,
                        OverheadBenchmark.LeaveOut.of(List.of(EventType.EXEC))),
                progress::add);

        assertEquals(1, results.size());
        OverheadBenchmark.Result result = results.getFirst();
        assertEquals(Optional.empty(), result.programTimes(), "the kernel timed the programs");
        Map<String, ProgramCost> traced = byProgram(result.programCosts(Variant.TRACED));
        for (String program :
                List.of("tapio_exec", "tapio_exit", "tapio_signal", "tapio_sched_wakeup_new", "tapio_sched_switch")) {
            ProgramCost cost = traced.get(program);
            assertTrue(cost != null, program + " ran: " + traced.keySet());
            assertTrue(cost.runsPerRun().median() > 0, cost.toString());
            assertTrue(cost.nanosPerRun().median() > 0, cost.toString());
            assertTrue(cost.shareOfUntraced().median() > 0, cost.toString());
        }
        // The shell and each /bin/true exec and exit, beside whatever else the machine runs meanwhile.
        for (String program : List.of("tapio_exec", "tapio_exit")) {
            double runs = traced.get(program).runsPerRun().median();
            assertTrue(runs >= SPAWNS + 1 && runs < 10 * SPAWNS, program + " ran " + runs + " times for " + SPAWNS);
        }
        assertTrue(traced.containsKey(ProgramCost.ALL));

        Variant withoutExec = Variant.without(EventType.EXEC);
        assertEquals(
                List.of(
                        Variant.TRACED,
                        Variant.reading(Variant.Reader.NAPPING),
                        Variant.reading(Variant.Reader.UNREAD),
                        withoutExec),
                List.copyOf(result.traced().keySet()));
        assertFalse(byProgram(result.programCosts(withoutExec)).containsKey("tapio_exec"), "exec left out");
        assertTrue(byProgram(result.programCosts(withoutExec)).containsKey("tapio_exit"));
        assertTrue(result.readerWakeups(Variant.TRACED).median() > 0, "the spawns' records woke the reader");
        assertEquals(
                0, result.readerWakeups(Variant.reading(Variant.Reader.UNREAD)).max(), "no reader, no wakeup");
        assertEquals(1, result.untracedSeconds().size());
        assertEquals(
                5,
                progress.stream().filter(line -> line.startsWith("round 1/1")).count(),
                progress.toString());

        assertEquals(0, OpenFds.to(OpenFds.BPF_STATS), "the statistics' file descriptor is closed");
        assertEquals(sysctl, Files.readString(SYSCTL), "kernel.bpf_stats_enabled as it was");
    }

    private static Map<String, ProgramCost> byProgram(List<ProgramCost> costs) {
        return costs.stream().collect(Collectors.toMap(ProgramCost::program, Function.identity()));
    }
}
