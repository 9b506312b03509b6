package io.tapio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.bench.node.NodeBenchmark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tapio bench node}: real {@code tapio run}s, started as processes of their own (the eBPF
 * source, then the synthetic one), measured from outside; what it reports is what they did,
 * and it leaves no process or directory behind. (Its figures are printed, not asserted.)
 */
class BenchNodeTest {
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void measuresARealRunIdleAndAtARateAndStopsIt() throws Exception {
        Set<Long> tapiosBefore = Leftovers.runningTapios();
        Set<Path> dirsBefore = Leftovers.temporaryDirectories("tapio-node");
        List<String> progress = new ArrayList<>();

        NodeBenchmark.Result result = NodeBenchmark.run(
                new NodeBenchmark.Options(
                        TapioProcess.command(Path.of("target", "bench-node-tapio.log")),
                        2,
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(5),
                        List.of(2_000L),
                        0),
                progress::add);

        NodeBenchmark.Load idle = result.idle();
        assertThat(idle.rate()).isZero();
        assertThat(idle.cpuPercent().median()).isPositive();
        assertThat(idle.rssMib().min()).isGreaterThan(50); // a JVM with a MiniCluster
        assertThat(idle.threads().min()).isGreaterThan(10);
        NodeBenchmark.Load synthetic = result.rates().getFirst();
        assertThat(synthetic.rate()).isEqualTo(2_000);
        assertThat(synthetic.eventsPerSecond().median()).isBetween(1_000.0, 3_000.0);
        assertThat(synthetic.cpuMicrosPerEvent().median()).isPositive().isFinite();
        assertThat(result.overhead()).isEmpty();
        assertThat(progress).anyMatch(line -> line.contains("window 2/2"));

        assertThat(Leftovers.runningTapios()).isSubsetOf(tapiosBefore);
        assertThat(Leftovers.temporaryDirectories("tapio-node")).isSubsetOf(dirsBefore);
    }
}
