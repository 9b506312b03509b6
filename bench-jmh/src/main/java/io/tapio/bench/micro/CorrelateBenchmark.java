package io.tapio.bench.micro;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.correlate.Correlator;
import io.tapio.model.Finding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The correlator's work per event, as the task hands it events ({@link KeyedStage}): the event
 * waits in its workload's batch, then goes through the process tracker and every pattern; the
 * patterns' reports are findings. The watermark ends episodes and drains batches; the task's
 * mailbox, after each hand-over, ends the partial batches.
 */
@State(Scope.Thread)
public class CorrelateBenchmark {
    private KeyedStage<Finding> stage;

    @Setup(Level.Trial)
    public void open() throws Exception {
        stage = new KeyedStage<>(new Correlator(CorrelationConfig.defaults(), false));
    }

    @Benchmark
    public void correlate() throws Exception {
        stage.next();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        stage.close();
    }
}
