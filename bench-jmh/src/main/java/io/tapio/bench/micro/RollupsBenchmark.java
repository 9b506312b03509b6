package io.tapio.bench.micro;

import io.tapio.model.Rollup;
import io.tapio.rollup.Rollups;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The minute rollups' work per event, as the task hands them events ({@link KeyedStage}), in
 * the operator the job runs them in: the event adds to its workload's minute in keyed state; the
 * watermark emits the minutes it ends.
 */
@State(Scope.Thread)
public class RollupsBenchmark {
    private KeyedStage<Rollup> stage;

    @Setup(Level.Trial)
    public void open() throws Exception {
        stage = new KeyedStage<>(new Rollups());
    }

    @Benchmark
    public void rollups() throws Exception {
        stage.next();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        stage.close();
    }
}
