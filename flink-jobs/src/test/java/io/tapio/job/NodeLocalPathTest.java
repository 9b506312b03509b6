package io.tapio.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.history.HistoryConfig;
import io.tapio.rollup.RegressionConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tasks a user sees in Flink's web UI: with one reader on this node the whole path from the
 * kernel's events to the regressions is one task (no network hop, no flusher thread); with more
 * subtasks the events cross one keyed exchange to their workload's correlator.
 */
class NodeLocalPathTest {
    private static final SourceSpec SYNTHETIC =
            new SourceSpec.Synthetic(SyntheticConfig.builder().build(), 1_000, false);

    @Test
    void oneSubtaskChainsDecodeEnrichCorrelateRollupsAndRegressionsIntoTheReadersTask() {
        List<String> tasks = tasks(1);
        assertThat(tasks).hasSize(1);
        assertThat(tasks.getFirst()).contains("kernel events", "enrich", "correlate", "rollups", "regressions");
    }

    @Test
    void moreSubtasksKeepTheKeyedExchangeBeforeTheCorrelator() {
        List<String> tasks = tasks(2);
        String reader = tasks.stream()
                .filter(t -> t.contains("kernel events"))
                .findFirst()
                .orElseThrow();
        assertThat(reader).contains("enrich").doesNotContain("correlate");
        assertThat(tasks).anySatisfy(t -> assertThat(t).contains("correlate", "rollups"));
    }

    @Test
    void aLiveSourceMeasuresTheEventsAsTheyLeaveForTheExchangeSoThatTheExchangeShowsInTheLatencyBudget() {
        SourceSpec kernel = new SourceSpec.Ebpf(CollectorConfig.defaults());
        assertThat(tasks(2, kernel)).anySatisfy(t -> assertThat(t).contains("enrich", "to the exchange"));
        assertThat(tasks(1, kernel).getFirst()).doesNotContain("to the exchange");
        assertThat(tasks(2, SYNTHETIC)).noneSatisfy(t -> assertThat(t).contains("to the exchange"));
    }

    /**
     * Flink's own serializers (a record's, Kryo for what is inside) would copy a KernelEvent
     * without its constructor, leaving the view over its record unset: the correlator behind
     * the exchange failed on the first event it measured.
     */
    @Test
    void whatCrossesTheExchangeIsWrittenByTapiosSerializersNotKryo() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        TapioJob.define(
                env,
                new SourceSpec.Ebpf(CollectorConfig.defaults()),
                CorrelationConfig.defaults(),
                RegressionConfig.defaults(),
                null);
        StreamGraph graph = env.getStreamGraph();
        List<String> exchanged = graph.getStreamNodes().stream()
                .flatMap(node -> node.getOutEdges().stream()
                        .filter(edge -> !(edge.getPartitioner() instanceof ForwardPartitioner))
                        .map(edge -> node.getOperatorName() + ": "
                                + node.getTypeSerializerOut().getClass().getName()))
                .toList();
        assertThat(exchanged).isNotEmpty().allSatisfy(e -> assertThat(e).contains(": io.tapio."));
    }

    /**
     * Writing the history's Parquet files (every row, and each file closed at a checkpoint) must
     * not stall the task that reads the kernel's ring: the history's writers are tasks of their
     * own, and the rows wait for a full buffer (or the checkpoint's barrier) up to a second, so
     * no flusher wakes more often than once a second.
     */
    @Test
    void theHistorysWritersRunApartFromTheReaderAndTheirRowsNeedNoFlusher(@TempDir Path dataDir) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        TapioJob.define(env, SYNTHETIC, CorrelationConfig.defaults(), RegressionConfig.defaults(), null)
                .writeHistory(HistoryConfig.hadoop(dataDir));

        StreamGraph graph = env.getStreamGraph(false);
        List<String> tasks = StreamSupport.stream(
                        graph.getJobGraph().getVertices().spliterator(), false)
                .map(JobVertex::getName)
                .toList();
        assertThat(tasks)
                .filteredOn(t -> t.contains("kernel events"))
                .singleElement()
                .satisfies(reader -> assertThat(reader).contains("correlate").doesNotContain("history "));
        assertThat(tasks).filteredOn(t -> t.endsWith(": Writer")).hasSize(4);
        assertThat(graph.getStreamNodes())
                .filteredOn(node -> node.getOperatorName().endsWith(" rows"))
                .hasSize(4)
                .allSatisfy(node -> assertThat(node.getBufferTimeout()).isEqualTo(1_000L));
    }

    @Test
    void theSourcesWatermarksMoveOnceASecondNotFiveTimes() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TapioJob.define(env, SYNTHETIC, CorrelationConfig.defaults(), RegressionConfig.defaults(), null);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(1_000);
    }

    private static List<String> tasks(int parallelism) {
        return tasks(parallelism, SYNTHETIC);
    }

    private static List<String> tasks(int parallelism, SourceSpec spec) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        TapioJob.define(env, spec, CorrelationConfig.defaults(), RegressionConfig.defaults(), null);
        Iterable<JobVertex> vertices = env.getStreamGraph().getJobGraph().getVertices();
        return StreamSupport.stream(vertices.spliterator(), false)
                .map(JobVertex::getName)
                .toList();
    }
}
