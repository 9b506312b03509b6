package io.tapio.job;

import io.tapio.ebpf.event.KernelEvent;
import io.tapio.metrics.StageMetrics;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** The end of the event path: measures each event's latency from the kernel to the end of the job. */
final class ExitProbe implements Sink<KernelEvent> {
    private final boolean live;

    ExitProbe(boolean live) {
        this.live = live;
    }

    @Override
    public SinkWriter<KernelEvent> createWriter(WriterInitContext context) {
        StageMetrics metrics = StageMetrics.stage("end");
        return new SinkWriter<>() {
            @Override
            public void write(KernelEvent event, Context context) {
                metrics.record(event, live);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
