package io.tapio.ebpf.source.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.synthetic.InjectedFault;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import io.tapio.ebpf.synthetic.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The synthetic source in a real MiniCluster: deterministic, and carrying its injected faults. */
class SyntheticSourceTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final SyntheticConfig CONFIG = SyntheticConfig.builder()
            .seed(42)
            .eventsPerSecond(50_000)
            .fault(new InjectedFault.CrashLoop(new Workload(77, "payments"), Duration.ofMillis(200), Duration.ZERO, 1))
            .build();

    @Test
    void twoRunsWithTheSameSeedDeliverTheSameEventsAsTheGeneratorItself() throws Exception {
        List<KernelEvent> first = run(SyntheticSource.asFastAsPossible(CONFIG, 20_000));
        List<KernelEvent> second = run(SyntheticSource.asFastAsPossible(CONFIG, 20_000));

        assertEquals(20_000, first.size());
        assertEquals(first, second);
        SyntheticEventGenerator generator = new SyntheticEventGenerator(CONFIG, SyntheticSource.VIRTUAL_START_NS);
        List<KernelEvent> expected = new ArrayList<>();
        while (expected.size() < 20_000) {
            expected.addAll(generator.next(generator.nextTimestampNs() + 1_000_000));
        }
        assertEquals(expected.subList(0, 20_000), first);
        assertTrue(first.stream().anyMatch(e -> CONFIG.faultOf(e).isPresent()), "the crash loop is in there");
    }

    @Test
    void pacedEventsCarryLiveTimestamps() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2); // one split: the second reader gets none and must not stall the job
        long before = System.nanoTime();
        try (CloseableIterator<KernelEvent> events = env.fromSource(
                        SyntheticSource.paced(CONFIG), WatermarkStrategy.noWatermarks(), "synthetic")
                .executeAndCollect("paced-test")) {
            for (int i = 0; i < 1_000; i++) {
                KernelEvent event = events.next();
                assertTrue(
                        event.timestampNs() >= before && event.timestampNs() <= System.nanoTime(),
                        "generated at its time, not ahead of it");
            }
        }
    }

    private static List<KernelEvent> run(SyntheticSource source) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<KernelEvent> events = new ArrayList<>();
        try (CloseableIterator<KernelEvent> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "synthetic")
                .executeAndCollect("synthetic-test")) {
            it.forEachRemaining(events::add);
        }
        return events;
    }
}
