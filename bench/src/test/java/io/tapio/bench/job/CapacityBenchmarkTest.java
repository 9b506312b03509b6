package io.tapio.bench.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.CaptureReader;
import io.tapio.ebpf.synthetic.DemoFaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapio bench job --capacity}: the whole job in a real MiniCluster over a capture it
 * makes in the capture format. (Its rates are printed by the bench, not asserted here.)
 */
class CapacityBenchmarkTest {
    @Test
    void theMadeCaptureIsABusyNodeWithFaultsThatTapioReplays(@TempDir Path dir) throws Exception {
        Path capture = CapacityBenchmark.makeCapture(dir.resolve("synthetic.tapiocap"), 20_000);

        Set<Long> cgroups = new HashSet<>();
        try (CaptureReader reader = CaptureReader.open(capture)) {
            for (KernelEvent event = reader.next(); event != null; event = reader.next()) {
                cgroups.add(event.cgroupId());
            }
            assertThat(reader.recordsRead()).isEqualTo(20_000);
        }
        assertThat(cgroups).hasSizeGreaterThan(100); // many workloads, each with its own state
        for (String fault : DemoFaults.NAMES) {
            assertThat(cgroups).contains(DemoFaults.named(fault).workload().cgroupId());
        }
    }

    @Test
    void everyEventOfTheCaptureGoesThroughTheJobInEachRoundAndNothingIsLeftBehind() throws Exception {
        List<String> progress = new ArrayList<>();
        Set<Path> before = tempDirectories();

        CapacityBenchmark.Result result =
                CapacityBenchmark.run(new CapacityBenchmark.Options(null, 400_000, 1, 2), progress::add);

        assertThat(result.captureEvents()).isEqualTo(400_000);
        assertThat(result.warmUp()).hasSize(1);
        assertThat(result.rounds()).hasSize(2);
        assertThat(result.everyEventEntered()).as("%s", result.rounds()).isTrue();
        for (CapacityBenchmark.Round round : result.rounds()) {
            assertThat(round.events()).isPositive().isLessThanOrEqualTo(round.entered());
            assertThat(round.cpuSeconds()).isPositive();
            assertThat(round.bytesPerEvent()).isPositive();
        }
        assertThat(progress).anyMatch(line -> line.startsWith("warm-up round 1/1:"));
        assertThat(progress).anyMatch(line -> line.startsWith("round 2/2:"));
        assertThat(tempDirectories()).isSubsetOf(before);
    }

    private static Set<Path> tempDirectories() throws Exception {
        try (var paths = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return new HashSet<>(paths.filter(p -> p.getFileName().toString().startsWith("tapio-capacity"))
                    .toList());
        }
    }
}
