package io.tapio.job;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.rollup.RegressionConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job's entry point on a Flink cluster (application mode, a FlinkDeployment's
 * {@code job.entryClass}): every TaskManager reads its own node's kernel. Flink's own
 * configuration (checkpoints, state, restart strategy) comes from the cluster.
 */
public final class TapioJobMain {
    private TapioJobMain() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TapioJob.define(env, new SourceSpec.Ebpf(CollectorConfig.defaults()), CorrelationConfig.defaults(),
                RegressionConfig.defaults());
        env.execute(TapioJob.NAME);
    }
}
