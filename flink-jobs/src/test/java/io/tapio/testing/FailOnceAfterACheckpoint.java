package io.tapio.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Failure injection for exactly-once tests: passes records on, sleeping a millisecond every
 * {@code pace} records so that checkpoints complete while the source runs, and throws once,
 * at the first record after {@code afterRecords} (in its task) once a checkpoint completed.
 * "Once" holds across the restarts of the task: the flag lives in this JVM (the MiniCluster's),
 * under the name the test gives it.
 */
public final class FailOnceAfterACheckpoint<T> implements MapFunction<T, T>, CheckpointListener {
    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();

    private final String name;
    private final long afterRecords;
    private final int pace;
    private long seen;
    private volatile boolean checkpointed;

    public FailOnceAfterACheckpoint(String name, long afterRecords, int pace) {
        this.name = name;
        this.afterRecords = afterRecords;
        this.pace = pace;
        FAILED.put(name, new AtomicBoolean());
    }

    /** Whether the injection named {@code name} has thrown. */
    public static boolean failed(String name) {
        return FAILED.get(name).get();
    }

    @Override
    public T map(T record) throws Exception {
        if (++seen % pace == 0) {
            Thread.sleep(1);
        }
        if (seen >= afterRecords && checkpointed && FAILED.get(name).compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + seen + " records");
        }
        return record;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
