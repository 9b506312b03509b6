package io.tapio.bench.overhead;

import io.tapio.bench.Spread;
import io.tapio.ebpf.abi.Program;
import io.tapio.ebpf.libbpf.ProgramRunTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * What a program cost each run of a workload, over rounds: how often it ran, how long a run took,
 * and its run time as a share of the workload's untraced time (CPU time over wall time: on a
 * machine of several CPUs the share of what the workload waited for may be less). Each a median
 * with its range.
 *
 * @param program its name in the object, or {@link #ALL} for every program together
 */
public record ProgramCost(String program, Spread runsPerRun, Spread nanosPerRun, Spread shareOfUntraced) {
    public static final String ALL = "all programs";

    /**
     * Each program that ran during {@code runs}, the costliest first, then all together.
     *
     * @param untracedSeconds the workload's untraced median, the share's denominator
     */
    static List<ProgramCost> of(List<TracedRun> runs, double untracedSeconds) {
        List<ProgramCost> costs = new ArrayList<>();
        for (Program program : Program.values()) {
            if (runs.stream()
                    .anyMatch(run -> run.programs()
                                    .getOrDefault(program, ProgramRunTime.NONE)
                                    .runs()
                            > 0)) {
                costs.add(of(
                        program.objectName(),
                        runs,
                        run -> run.programs().getOrDefault(program, ProgramRunTime.NONE),
                        untracedSeconds));
            }
        }
        costs.sort(Comparator.comparingDouble((ProgramCost c) -> c.shareOfUntraced.median())
                .reversed());
        costs.add(of(
                ALL,
                runs,
                run -> run.programs().values().stream().reduce(ProgramRunTime.NONE, ProgramRunTime::plus),
                untracedSeconds));
        return costs;
    }

    private static ProgramCost of(
            String name, List<TracedRun> runs, Function<TracedRun, ProgramRunTime> ran, double untracedSeconds) {
        List<ProgramRunTime> times = runs.stream().map(ran).toList();
        return new ProgramCost(
                name,
                Spread.of(times.stream().map(t -> (double) t.runs()).toList()),
                Spread.of(times.stream().map(ProgramRunTime::nanosPerRun).toList()),
                Spread.of(times.stream()
                        .map(t -> t.nanos() / 1e9 / untracedSeconds)
                        .toList()));
    }
}
