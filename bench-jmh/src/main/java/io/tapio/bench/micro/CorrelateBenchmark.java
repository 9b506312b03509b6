package io.tapio.bench.micro;

import io.tapio.correlate.CorrelationConfig;
import io.tapio.correlate.Correlator;
import io.tapio.model.EnrichedEvent;
import io.tapio.model.Finding;
import io.tapio.model.WorkloadKey;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.io.RecordProcessorUtils;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.ThrowingConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The correlator's work per event, in Flink's keyed operator harness (heap keyed state, as a
 * local run has), each record handed to it as the task hands it (Flink's record processor, which
 * sets the key for the operators that ask for it): the event waits in its workload's batch, then goes through the process
 * tracker and every pattern; the patterns' reports are findings. As in the job, the watermark
 * moves on once a second of event time (200 ms behind), ending episodes and draining batches,
 * and the task's mailbox runs after every {@value #HAND_OVER} events, a source's hand-over,
 * which ends the partial batches. The events repeat, a whole span of their time later each
 * round, so time only moves forward.
 */
@State(Scope.Thread)
public class CorrelateBenchmark {
    private static final long WATERMARK_EVERY_MILLIS = 1_000;
    private static final long OUT_OF_ORDERNESS_MILLIS = 200;
    /** Records a source hands over at a time (the eBPF reader's smallest batch). */
    private static final int HAND_OVER = 64;

    private KeyedOneInputStreamOperatorTestHarness<String, EnrichedEvent, Finding> harness;
    private ThrowingConsumer<StreamRecord<EnrichedEvent>, Exception> task;
    private EnrichedEvent[] events;
    private long[] epochMillis;
    private long span;
    private final StreamRecord<EnrichedEvent> record = new StreamRecord<>(null);
    private int next;
    private long shift;
    private long lastWatermark;

    @Setup(Level.Trial)
    public void open() throws Exception {
        try (SyntheticNode node = SyntheticNode.create()) {
            events = node.enriched();
        }
        epochMillis = new long[events.length];
        for (int i = 0; i < events.length; i++) {
            epochMillis[i] = SyntheticNode.epochMillis(events[i].event());
        }
        span = epochMillis[events.length - 1] - epochMillis[0] + WATERMARK_EVERY_MILLIS;
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new Correlator(CorrelationConfig.defaults(), false), new WorkloadKey(), Types.STRING);
        harness.open();
        task = RecordProcessorUtils.getRecordProcessor(harness.getOneInputOperator());
        lastWatermark = epochMillis[0];
    }

    @Benchmark
    public void correlate() throws Exception {
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
            harness.getOutput().clear(); // the findings and watermarks: a sink takes them in the job
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        harness.close();
    }
}
