package io.tapio.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.job.SourceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster of a run is sized for one job in one slot on a node, not for the machine:
 * one REST handler for the web UI, one cluster I/O thread, at most two RPC dispatchers, each
 * thread being a stack and a wake-up the node pays for.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalClusterThreadsTest {
    private static final Map<String, Integer> MOST = Map.of(
            "Flink-DispatcherRestEndpoint-thread-", 1,
            "mini-cluster-io-thread-", 1,
            "flink-pekko.actor.default-dispatcher-", 2);

    @TempDir
    Path dataDir;

    @Test
    void aRunningJobsClusterKeepsItsThreadPoolsSmall() throws Exception {
        SourceSpec source = new SourceSpec.Synthetic(
                SyntheticConfig.builder().seed(5).eventsPerSecond(500).build(), Long.MAX_VALUE, true);
        try (LocalTapio tapio = LocalTapio.start(RunOptions.unattended(source, dataDir))) {
            // Past the submission and the first checkpoint, which are what start the pools' threads.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (new RetainedCheckpoints(dataDir).newest().isEmpty()
                    || tapio.refresh().eventsProcessed() == 0) {
                assertTrue(tapio.jobRunning(), tapio.failureMessage());
                assertTrue(System.nanoTime() < deadline, "no checkpoint within a minute");
                Thread.sleep(200);
            }
            Map<String, Long> running = Thread.getAllStackTraces().keySet().stream()
                    .map(Thread::getName)
                    .flatMap(name -> MOST.keySet().stream().filter(name::startsWith))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            List<String> over = MOST.entrySet().stream()
                    .filter(e -> running.getOrDefault(e.getKey(), 0L) > e.getValue())
                    .map(e -> e.getKey() + "* " + running.get(e.getKey()) + " (at most " + e.getValue() + ")")
                    .toList();
            assertTrue(over.isEmpty(), "threads beyond what one job needs: " + over);
            assertTrue(running.containsKey("mini-cluster-io-thread-"), "the pools are named as counted: " + running);
        }
    }
}
