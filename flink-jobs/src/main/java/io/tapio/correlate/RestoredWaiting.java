package io.tapio.correlate;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The waiting events of a checkpoint from a version that kept partial batches in keyed state
 * ({@code waiting} and {@code waiting-count}), moved into the {@link KeyedBatches} on restore so
 * that the first hand-over correlates them. This version's checkpoints hold none: it ends every
 * partial batch before a checkpoint.
 */
final class RestoredWaiting {
    private static final ListStateDescriptor<TimedEvent> WAITING =
            new ListStateDescriptor<>("waiting", TimedEvent.TYPE);
    private static final ValueStateDescriptor<Integer> COUNT = new ValueStateDescriptor<>("waiting-count", Types.INT);

    private RestoredWaiting() {}

    /** @return how many events were moved */
    static int moveInto(KeyedStateBackend<String> backend, KeyedBatches batches) throws Exception {
        int[] moved = {0};
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                WAITING,
                (String key, ListState<TimedEvent> waiting) -> {
                    for (TimedEvent timed : waiting.get()) {
                        batches.restore(key, timed.epochMillis(), timed.event());
                        moved[0]++;
                    }
                    waiting.clear();
                });
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                COUNT,
                (String key, ValueState<Integer> count) -> count.clear());
        return moved[0];
    }
}
