package io.tapio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code tapio bench overhead} as a user runs it, on the real programs and a short spawn loop:
 * the tables it prints name the programs the spawns ran, and a wrong group or workload is a clear
 * error. (Timings are printed, not asserted.)
 */
class BenchOverheadTest {
    @Test
    void printsEachVariantAndTheProgramsTheSpawnsRan() {
        Run run = run(
                "bench",
                "overhead",
                "--rounds",
                "1",
                "--spawns",
                "20",
                "--workloads",
                "spawn-loop",
                "--leave-out",
                "runq_latency");

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines)
                .anyMatch(line -> line.startsWith("all programs, reader woken on data"))
                .anyMatch(line -> line.startsWith("all programs, reader naps 10 ms"))
                .anyMatch(line -> line.startsWith("all programs, ring not read"))
                .anyMatch(line -> line.startsWith("without runq_latency, reader woken on data"))
                .anyMatch(line -> line.matches("program +runs per run +ns per run +share of untraced time"))
                .anyMatch(line -> line.startsWith("tapio_exec "))
                .anyMatch(line -> line.startsWith("tapio_exit "))
                .anyMatch(line -> line.startsWith("all programs "));
        assertThat(lines).noneMatch(line -> line.startsWith("without exec"));
    }

    @Test
    void anUnknownGroupOrWorkloadIsAClearError() {
        Run group = run("bench", "overhead", "--leave-out", "runq");
        assertThat(group.exit()).isEqualTo(2);
        assertThat(group.err()).contains("--leave-out takes 'ran', 'none' or event types (exec, exit,");

        Run workload = run("bench", "overhead", "--workloads", "spawn");
        assertThat(workload.exit()).isEqualTo(2);
        assertThat(workload.err()).contains("--workloads: no workload spawn; there are [spawn-loop, build, http]");
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
