package io.tapio.job;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.metrics.MetricsExport;
import io.tapio.ebpf.metrics.Stage;
import io.tapio.ebpf.metrics.StageMetrics;
import io.tapio.ebpf.node.NodeName;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * Where events enter the job: counted by node (the one this task runs on) and type, and their
 * latency from the kernel measured. The counts reach the shared counters in bulk; a
 * processing-time timer set at an event flushes them {@link #FLUSH_AFTER_MILLIS} later, so
 * that a node that has gone quiet still shows every event it took in, not all but its last
 * burst.
 */
final class EntryProbe extends AbstractStreamOperator<KernelEvent>
        implements OneInputStreamOperator<KernelEvent, KernelEvent>, ProcessingTimeCallback {
    private static final long FLUSH_AFTER_MILLIS = 200;

    private final boolean live;
    private final MetricsExport export;
    private transient StageMetrics metrics;
    private transient boolean flushDue;

    /** @param export where this JVM serves the metrics; null when the caller serves them (a local run) */
    EntryProbe(boolean live, MetricsExport export) {
        this.live = live;
        this.export = export;
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (export != null) {
            export.ensureServing();
        }
        metrics = StageMetrics.entry(Stage.SOURCE, NodeName.local());
    }

    @Override
    public void processElement(StreamRecord<KernelEvent> element) {
        metrics.record(element.getValue(), live);
        if (!flushDue) {
            flushDue = true;
            ProcessingTimeService time = getProcessingTimeService();
            time.registerTimer(time.getCurrentProcessingTime() + FLUSH_AFTER_MILLIS, this);
        }
        output.collect(element);
    }

    @Override
    public void onProcessingTime(long time) {
        flushDue = false;
        metrics.flush();
    }

    @Override
    public void close() throws Exception {
        if (metrics != null) {
            metrics.flush();
        }
        super.close();
    }
}
