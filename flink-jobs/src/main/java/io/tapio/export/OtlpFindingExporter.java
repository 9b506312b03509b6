package io.tapio.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.model.Finding;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends findings as OTLP log records over HTTP (protobuf), with the OpenTelemetry SDK's batch
 * processor: {@link #offer} puts a record into its bounded queue and returns, the processor's
 * thread exports batches. What does not reach the receiver is counted by reason:
 * {@code queue_full} (the receiver is slow or down and the queue holds {@link OtlpConfig#queue}
 * records), {@code export_failed} (the receiver refused a batch, or could not be reached after
 * the exporter's retries), {@code unsent_at_exit} (still queued when the job stopped).
 *
 * <p>The processor drops silently when its queue is full; this class keeps count of the records
 * between {@link #offer} and the exporter and refuses one past the bound itself, so the
 * processor's queue never overflows and every drop is counted.
 */
public final class OtlpFindingExporter implements AutoCloseable {
    static final List<String> DROP_REASONS = List.of("queue_full", "export_failed", "unsent_at_exit");
    /** How long {@link #close} lets the processor export what is queued. */
    static final Duration DRAIN = Duration.ofSeconds(10);

    private static final String SCOPE = "io.tapio.export";
    private static final Duration BATCH_DELAY = Duration.ofSeconds(1);
    private static final int MAX_BATCH = 512;

    private final SdkLoggerProvider provider;
    private final Logger logger;
    private final int capacity;
    /** Offered and not yet handed to the exporter: the processor's queue and the batch it is filling. */
    private final AtomicLong waiting = new AtomicLong();
    /** Handed to the exporter, not yet answered. */
    private final AtomicLong exporting = new AtomicLong();

    private final Counter exported = Metrics.counter(MetricNames.OTLP_LOG_RECORDS_EXPORTED);
    private final DropCounter dropped = new DropCounter(
            MetricNames.OTLP_LOG_RECORDS_DROPPED,
            "Findings that did not reach the OTLP receiver, by reason",
            DROP_REASONS);
    private volatile boolean closing;
    /** Set by close, under this object's lock: from then on close has counted what is left. */
    private boolean closed;

    private OtlpFindingExporter(OtlpConfig config, String node) {
        OtlpHttpLogRecordExporterBuilder otlp = OtlpHttpLogRecordExporter.builder()
                .setEndpoint(config.logsEndpoint())
                .setTimeout(config.timeout())
                .setMeterProvider(MeterProvider::noop);
        config.headers().forEach(otlp::addHeader);
        this.capacity = config.queue();
        this.provider = SdkLoggerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(
                                AttributeKey.stringKey("service.name"), "tapio",
                                AttributeKey.stringKey("host.name"), node,
                                AttributeKey.stringKey("k8s.node.name"), node))))
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(new Counting(otlp.build()))
                        .setMaxQueueSize(config.queue())
                        .setMaxExportBatchSize(Math.min(MAX_BATCH, config.queue()))
                        .setScheduleDelay(BATCH_DELAY)
                        .setExporterTimeout(config.timeout().multipliedBy(3)) // the exporter's retries included
                        .setMeterProvider(MeterProvider::noop)
                        .build())
                .build();
        this.logger = provider.get(SCOPE);
    }

    /** An exporter to the configured receiver, as {@code node}'s Tapio. */
    public static OtlpFindingExporter start(OtlpConfig config, String node) {
        return new OtlpFindingExporter(config, node);
    }

    /** Queues the report as a log record, or counts it dropped; never waits. */
    public void offer(Finding finding) {
        if (closing) {
            dropped.add("unsent_at_exit", 1);
        } else if (waiting.incrementAndGet() > capacity) {
            waiting.decrementAndGet();
            dropped.add("queue_full", 1);
        } else {
            FindingLogRecords.emit(logger, finding);
        }
    }

    /** Exports what is queued for at most {@link #DRAIN}; what is still unsent then is counted. */
    @Override
    public void close() {
        closing = true;
        provider.shutdown().join(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (this) {
            closed = true;
            dropped.add("unsent_at_exit", waiting.getAndSet(0) + exporting.getAndSet(0));
        }
    }

    /** The OTLP exporter, with the records it is handed and their outcome counted. */
    private final class Counting implements LogRecordExporter {
        private final LogRecordExporter otlp;

        Counting(LogRecordExporter otlp) {
            this.otlp = otlp;
        }

        @Override
        public CompletableResultCode export(Collection<LogRecordData> batch) {
            int records = batch.size();
            waiting.addAndGet(-records);
            exporting.addAndGet(records);
            CompletableResultCode result = otlp.export(batch);
            result.whenComplete(() -> {
                synchronized (OtlpFindingExporter.this) {
                    if (closed) {
                        return; // counted as unsent by close
                    }
                    exporting.addAndGet(-records);
                    if (result.isSuccess()) {
                        exported.increment(records);
                    } else {
                        dropped.add("export_failed", records);
                    }
                }
            });
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return otlp.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return otlp.shutdown();
        }
    }
}
