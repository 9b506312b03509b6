package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.collector.CollectorConfig;
import java.io.Serial;
import java.io.Serializable;

/**
 * How an {@link EbpfSource} reads: the kernel side's configuration, the batch bounds, and how
 * long records gather on a busy ring.
 */
public record EbpfSourceOptions(CollectorConfig collector, AdaptiveBatchSize.Settings batch, Coalescing coalescing)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 3L;
}
