package io.tapio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.bench.node.ChurnBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tapio bench churn}: a real {@code tapio run} on the eBPF source watches real cgroups
 * and processes come and go; the run is sampled, it saw the churn, and every cgroup and process
 * the churn made is gone afterwards, as are the run and its directory. (Its figures are printed,
 * not asserted.)
 */
class BenchChurnTest {
    /** Processes each churn cgroup runs: its main process and four children. */
    private static final int PROCESSES_PER_CGROUP = 5;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void samplesARealRunWhileCgroupsAndProcessesComeAndGoAndLeavesNoneBehind() throws Exception {
        Set<Path> dirsBefore = Leftovers.temporaryDirectories("tapio-churn");
        String parent = "tapio-churn-" + ProcessHandle.current().pid();
        List<String> progress = new ArrayList<>();

        ChurnBenchmark.Result result = ChurnBenchmark.run(
                new ChurnBenchmark.Options(
                        TapioProcess.command(Path.of("target", "bench-churn-tapio.log")),
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(10),
                        60,
                        Duration.ofSeconds(2),
                        5),
                progress::add);
        progress.forEach(System.out::println);

        assertThat(result.samples()).hasSize(7); // at the start and every 10 s of the minute
        assertThat(progress).filteredOn(line -> line.contains(" min: RSS ")).hasSize(7);
        assertThat(result.slopeSamples()).isBetween(3, 4);
        assertThat(result.cgroups()).isGreaterThan(5);
        assertThat(result.processes()).isEqualTo(PROCESSES_PER_CGROUP * result.cgroups());
        assertThat(result.last().cgroups()).isPositive().isLessThanOrEqualTo(result.cgroups());

        // The run saw the churn: its events moved, and its enrichment met the new cgroups.
        assertThat(result.last().eventsProcessed()).isGreaterThan(result.first().eventsProcessed());
        // The first sample may come before the job's enrichment has met anything (no counter yet).
        double missesBefore = result.first().metrics().enrichMisses().orElse(0);
        double missesAfter = result.last().metrics().enrichMisses().orElseThrow();
        assertThat(missesAfter - missesBefore)
                .isGreaterThanOrEqualTo(result.last().cgroups() - result.first().cgroups());

        assertThat(cgroupDirectories(parent)).isEmpty();
        assertThat(processesIn(parent)).isEmpty();
        // Other runs may come and go on a shared machine: none of this benchmark's directory is left.
        assertThat(Leftovers.runningTapios("/tapio-churn")).isEmpty();
        assertThat(Leftovers.temporaryDirectories("tapio-churn")).isSubsetOf(dirsBefore);
    }

    /** The churn's parent, wherever this machine's cgroup v2 hierarchy is mounted. */
    private static List<Path> cgroupDirectories(String parent) {
        return Stream.of(Path.of("/sys/fs/cgroup", parent), Path.of("/sys/fs/cgroup/unified", parent))
                .filter(Files::exists)
                .toList();
    }

    /** Processes of this machine in a cgroup under {@code parent}. */
    private static List<Long> processesIn(String parent) throws IOException {
        List<Long> found = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    if (Files.readString(proc.resolve("cgroup")).contains("/" + parent + "/")) {
                        found.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
        }
        return found;
    }
}
