package io.tapio.bench.micro;

import io.tapio.model.EnrichedEvent;
import io.tapio.model.WorkloadKey;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.io.RecordProcessorUtils;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.ThrowingConsumer;

/**
 * One of the job's keyed operators in Flink's keyed operator harness (heap keyed state, as a
 * local run has), fed the synthetic node's events one at a time as the task feeds it: through
 * Flink's record processor (which sets the key for the operators that ask for it), the task's
 * mailbox run after every {@value #HAND_OVER} events (a source's hand-over), and the watermark
 * moving on once a second of event time, 200 ms behind. The events repeat, a whole span of their
 * time later each round, so time only moves forward. What the operator emits is dropped, as a
 * sink would take it.
 */
final class KeyedStage<OUT> implements AutoCloseable {
    private static final long WATERMARK_EVERY_MILLIS = 1_000;
    private static final long OUT_OF_ORDERNESS_MILLIS = 200;
    /** Records a source hands over at a time (the eBPF reader's smallest batch). */
    static final int HAND_OVER = 64;

    private final KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, OUT> harness;
    private final ThrowingConsumer<StreamRecord<EnrichedEvent>, Exception> task;
    private final EnrichedEvent[] events;
    private final long[] epochMillis;
    private final long span;
    private final StreamRecord<EnrichedEvent> record = new StreamRecord<>(null);
    private int next;
    private long shift;
    private long lastWatermark;

    KeyedStage(OneInputStreamOperator<EnrichedEvent, OUT> operator) throws Exception {
        try (SyntheticNode node = SyntheticNode.create()) {
            events = node.enriched();
        }
        epochMillis = new long[events.length];
        for (int i = 0; i < events.length; i++) {
            epochMillis[i] = SyntheticNode.epochMillis(events[i].event());
        }
        span = epochMillis[events.length - 1] - epochMillis[0] + WATERMARK_EVERY_MILLIS;
        harness = new KeyedOneInputStreamOperatorTestHarness<>(operator, new WorkloadKey(), Types.STRING);
        harness.open();
        task = RecordProcessorUtils.getRecordProcessor(harness.getOneInputOperator());
        lastWatermark = epochMillis[0];
    }

    /** Hands the operator the next event, then whatever the task would run after it. */
    void next() throws Exception {
        long time = epochMillis[next] + shift;
        record.replace(events[next], time);
        task.accept(record);
        if (next % HAND_OVER == HAND_OVER - 1) {
            for (Optional<Mail> mail;
                    (mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isPresent(); ) {
                mail.get().run();
            }
        }
        if (++next == events.length) {
            next = 0;
            shift += span;
        }
        if (time - lastWatermark >= WATERMARK_EVERY_MILLIS) {
            lastWatermark = time;
            harness.processWatermark(time - OUT_OF_ORDERNESS_MILLIS);
            harness.getOutput().clear();
        }
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
