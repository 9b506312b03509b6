package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.collector.CollectorConfig;
import java.time.Duration;

/**
 * Builds an {@link EbpfSource}.
 *
 * <pre>{@code
 * EbpfSource source = EbpfSource.builder()
 *         .setCollectorConfig(CollectorConfig.defaults())
 *         .setBatchSize(new AdaptiveBatchSize.Settings(64, 16_384, Duration.ofMillis(2), 0.05))
 *         .build();
 * env.fromSource(source, watermarks, "kernel");
 * }</pre>
 */
public final class EbpfSourceBuilder {
    private CollectorConfig collector = CollectorConfig.defaults();
    private AdaptiveBatchSize.Settings batch = AdaptiveBatchSize.Settings.defaults();
    private Coalescing coalescing = Coalescing.DEFAULT;
    private Duration readerSlice = EbpfSourceOptions.DEFAULT_READER_SLICE;

    EbpfSourceBuilder() {}

    /** What the programs collect and filter; default {@link CollectorConfig#defaults()}. */
    public EbpfSourceBuilder setCollectorConfig(CollectorConfig config) {
        this.collector = config;
        return this;
    }

    /** Bounds and latency target of the adaptive batch; default {@link AdaptiveBatchSize.Settings#defaults()}. */
    public EbpfSourceBuilder setBatchSize(AdaptiveBatchSize.Settings settings) {
        this.batch = settings;
        return this;
    }

    /** How long records gather on a busy ring before the task reads them; default {@link Coalescing#DEFAULT}. */
    public EbpfSourceBuilder setCoalescing(Coalescing coalescing) {
        this.coalescing = coalescing;
        return this;
    }

    /**
     * The scheduler slice the reader's threads ask for, so that they run soon after they wake
     * ({@link ReaderSlice}); zero leaves the scheduler's; default {@link EbpfSourceOptions#DEFAULT_READER_SLICE}.
     */
    public EbpfSourceBuilder setReaderSlice(Duration slice) {
        this.readerSlice = slice;
        return this;
    }

    public EbpfSource build() {
        return new EbpfSource(new EbpfSourceOptions(collector, batch, coalescing, readerSlice));
    }
}
