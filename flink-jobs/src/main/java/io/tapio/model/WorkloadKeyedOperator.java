package io.tapio.model;

import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;

/**
 * An operator on the events keyed by workload that sets the keyed backend's key itself, where it
 * reads or writes keyed state, rather than letting Flink set it before each event: Flink hashes
 * the key into its key group and switches the backend to it for every event, which an operator
 * that holds events or sums in hand between its reads of state pays for nothing.
 *
 * <p>Its event-time timers are those a keyed process function had ({@code user-timers}, no
 * namespace), so that a checkpoint of the function the operator replaced restores with its timers.
 */
public abstract class WorkloadKeyedOperator<OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<EnrichedEvent, OUT>, Triggerable<String, VoidNamespace> {
    private transient KeySelector<EnrichedEvent, String> keys;
    private transient InternalTimerService<VoidNamespace> timers;

    @Override
    public final boolean hasKeyContext1() {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked") // the stream is keyed by WorkloadKey: TapioJob.byWorkload
    public void open() throws Exception {
        super.open();
        keys = (KeySelector<EnrichedEvent, String>) getStateKeySelector1();
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
    }

    /** The event's key, its workload's; set it with {@link #setCurrentKey} before touching its state. */
    protected final String keyOf(EnrichedEvent event) throws Exception {
        return keys.getKey(event);
    }

    /** The keyed event-time timers, which call {@link #onEventTime} with the key set. */
    protected final InternalTimerService<VoidNamespace> timers() {
        return timers;
    }
}
