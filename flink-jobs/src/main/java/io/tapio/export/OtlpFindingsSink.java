package io.tapio.export;

import io.tapio.ebpf.node.NodeName;
import io.tapio.model.Finding;
import java.io.Serial;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Findings as OTLP log records ({@link OtlpFindingExporter}): each subtask hands its reports to
 * an exporter of its own and goes on at once. At most once, like every export of findings; the
 * history keeps them exactly once.
 */
public final class OtlpFindingsSink implements Sink<Finding> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final OtlpConfig config;

    public OtlpFindingsSink(OtlpConfig config) {
        this.config = config;
    }

    @Override
    public SinkWriter<Finding> createWriter(WriterInitContext context) {
        OtlpFindingExporter exporter = OtlpFindingExporter.start(config, NodeName.local());
        return new SinkWriter<>() {
            @Override
            public void write(Finding finding, Context context) {
                exporter.offer(finding);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {
                exporter.close();
            }
        };
    }
}
