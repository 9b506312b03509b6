package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.ring.PollInterval;
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
    private Duration idlePollInterval = PollInterval.DEFAULT_MIN;

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

    /**
     * How often, at most, an idle reader looks at the ring while events come and go (default 50 µs);
     * at lower rates it looks less often, down to once a millisecond ({@link PollInterval}).
     */
    public EbpfSourceBuilder setIdlePollInterval(Duration interval) {
        this.idlePollInterval = interval;
        return this;
    }

    public EbpfSource build() {
        return new EbpfSource(new EbpfSourceOptions(collector, batch, idlePollInterval));
    }
}
