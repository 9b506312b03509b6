package io.tapio.ebpf.source.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.testing.Commands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The eBPF source in a real Flink MiniCluster, delivering events of processes the test starts. */
class EbpfSourceTest {
    private static final int MARKER_STATUS = 97;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void deliversTheExitsOfProcessesTheTestStartsExactlyOnceWithTwoReadersOnOneNode() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2); // two readers on one node: one reads the kernel, the other gets no split
        EbpfSource source = EbpfSource.builder()
                .setCollectorConfig(
                        CollectorConfig.builder().ringBufferBytes(1 << 20).build())
                .build();

        AtomicBoolean spawning = new AtomicBoolean(true);
        List<Long> spawned = new ArrayList<>();
        try (CloseableIterator<KernelEvent> exits = env.fromSource(source, WatermarkStrategy.noWatermarks(), "kernel")
                .filter(e -> e.type() == EventType.EXIT && e.payload(Exit.class).exitStatus() == MARKER_STATUS)
                .executeAndCollect("ebpf-source-test")) {
            Thread spawner = Thread.ofPlatform().start(() -> {
                // the job starts asynchronously: keep exiting until the test has seen three
                while (spawning.get()) {
                    long pid = Commands.run("/bin/sh", "-c", "exit " + MARKER_STATUS)
                            .pid();
                    synchronized (spawned) {
                        spawned.add(pid);
                    }
                    sleep(100);
                }
            });
            List<KernelEvent> seen = new ArrayList<>();
            while (seen.size() < 3) {
                seen.add(exits.next());
            }
            spawning.set(false);
            spawner.join();

            synchronized (spawned) {
                for (KernelEvent exit : seen) {
                    assertTrue(spawned.contains((long) exit.pid()), "a process the test started: " + exit);
                }
            }
            assertEquals(3, seen.stream().map(KernelEvent::pid).distinct().count(), "no event delivered twice");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
