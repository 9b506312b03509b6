package io.tapio.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.model.Regression;
import io.tapio.model.Rollup;
import io.tapio.model.RollupMetric;
import io.tapio.model.Workload;
import io.tapio.model.types.JavaSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The regression detector in a real MiniCluster, keyed by workload: one workload's run-queue
 * waits rise 60% for good, another's stay level; only the first regresses.
 */
class RegressionsInTheJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static Rollup minute(String key, int minute, double slowWaits) {
        return new Rollup(
                key,
                Workload.host(new Workload.Cgroup("node-1", key.hashCode(), key)),
                minute * 60_000L,
                Map.of("runq_latency", (long) slowWaits),
                0,
                Map.of(RollupMetric.RUNQ_SLOW_WAITS, new Rollup.Sample(slowWaits, (long) slowWaits)));
    }

    @Test
    void onlyTheWorkloadWhoseMetricRoseForGoodRegresses() throws Exception {
        List<Rollup> rollups = new ArrayList<>();
        for (int m = 0; m < 200; m++) {
            double wobble = (m % 3) - 1; // -1, 0, +1
            rollups.add(minute("node-1/cgroup/checkout", m, (m < 150 ? 100 : 160) + wobble));
            rollups.add(minute("node-1/cgroup/payments", m, 100 + wobble));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<Regression> regressions = new ArrayList<>();
        try (CloseableIterator<Regression> out = env.fromData(
                        JavaSerializer.typeOf(Rollup.class), rollups.toArray(Rollup[]::new))
                .keyBy(Rollup::workloadKey)
                .process(new RegressionDetector(RegressionConfig.defaults()), JavaSerializer.typeOf(Regression.class))
                .executeAndCollect("regressions")) {
            out.forEachRemaining(regressions::add);
        }

        assertEquals(1, regressions.size(), regressions.toString());
        Regression r = regressions.getFirst();
        assertEquals("node-1/cgroup/checkout", r.workloadKey());
        assertEquals(RollupMetric.RUNQ_SLOW_WAITS, r.metric());
        long foundAfter = r.windowStartEpochMillis() / 60_000 + r.windows() - 150;
        assertTrue(
                foundAfter > 20
                        && foundAfter <= 30 + RegressionConfig.defaults().judgeEvery(),
                "longer than a burst, within the shortest window: " + foundAfter);
        assertEquals(100, r.baseline(), 1);
        assertEquals(160, r.current(), 1);
        assertEquals(60, r.changePercent(), 2);
        assertTrue(r.confidence() >= RegressionConfig.defaults().minConfidence(), r.toString());
    }
}
