package io.tapio.job;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.metrics.MetricsExport;
import io.tapio.ebpf.metrics.Stage;
import io.tapio.ebpf.metrics.StageMetrics;
import io.tapio.ebpf.node.NodeName;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Where events enter the job: counted by node (the one this task runs on) and type, and their
 * latency from the kernel measured.
 */
final class EntryProbe extends RichMapFunction<KernelEvent, KernelEvent> {
    private final boolean live;
    private final MetricsExport export;
    private transient StageMetrics metrics;

    /** @param export where this JVM serves the metrics; null when the caller serves them (a local run) */
    EntryProbe(boolean live, MetricsExport export) {
        this.live = live;
        this.export = export;
    }

    @Override
    public void open(OpenContext context) {
        if (export != null) {
            export.ensureServing();
        }
        metrics = StageMetrics.entry(Stage.SOURCE, NodeName.local());
    }

    @Override
    public KernelEvent map(KernelEvent event) {
        metrics.record(event, live);
        return event;
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.flush();
        }
    }
}
