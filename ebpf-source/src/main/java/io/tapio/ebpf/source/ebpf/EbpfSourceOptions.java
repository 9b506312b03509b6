package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.collector.CollectorConfig;
import java.io.Serial;
import java.io.Serializable;

/** How an {@link EbpfSource} reads: the kernel side's configuration and the batch bounds. */
public record EbpfSourceOptions(CollectorConfig collector, AdaptiveBatchSize.Settings batch) implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;
}
