package io.tapio.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.model.Regression;
import io.tapio.model.Rollup;
import io.tapio.model.RollupMetric;
import io.tapio.model.Workload;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The detector's state under workload churn, in Flink's own operator harness (its clock for
 * state time-to-live is the test's): the baselines of workloads that stopped reporting leave
 * the checkpoints once their time is up, so state does not grow with every pod a node ever ran.
 */
class RegressionDetectorStateTest {
    private static final RegressionConfig CONFIG = RegressionConfig.defaults();

    @Test
    void aWorkloadThatStoppedReportingIsForgottenAfterTheHistoryTtlAndOneThatReportsIsKept() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.open();
            harness.setStateTtlProcessingTime(0);
            harness.processElement(minute("node-1/cgroup/gone", 0), 0);
            harness.processElement(minute("node-1/cgroup/steady", 0), 0);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

            long later = CONFIG.historyTtl().toMillis() + 60_000;
            harness.setStateTtlProcessingTime(later - 30_000);
            harness.processElement(minute("node-1/cgroup/steady", 1), 60_000);
            harness.setStateTtlProcessingTime(later);
            snapshot = harness.snapshot(1, later);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.numKeyedStateEntries())
                    .as("only the workload that still reports keeps its baseline")
                    .isEqualTo(1);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Rollup, Regression> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RegressionDetector(CONFIG)), Rollup::workloadKey, Types.STRING);
    }

    private static Rollup minute(String key, int minute) {
        return new Rollup(
                key,
                Workload.host(new Workload.Cgroup("node-1", key.hashCode(), key)),
                minute * 60_000L,
                Map.of("runq_latency", 100L),
                0,
                Map.of(RollupMetric.RUNQ_SLOW_WAITS, new Rollup.Sample(100, 100)));
    }
}
