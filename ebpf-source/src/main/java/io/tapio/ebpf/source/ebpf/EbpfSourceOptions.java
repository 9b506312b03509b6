package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.collector.CollectorConfig;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * How an {@link EbpfSource} reads: the kernel side's configuration, the batch bounds, and how
 * often an idle reader looks for new data.
 *
 * @param idlePollInterval how long an idle reader waits between looks at the ring. The
 *     programs wake the reader only when the ring fills, so this bounds the latency of a
 *     lone event; busy readers never wait
 */
public record EbpfSourceOptions(CollectorConfig collector, AdaptiveBatchSize.Settings batch, Duration idlePollInterval)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public EbpfSourceOptions {
        if (idlePollInterval.isNegative() || idlePollInterval.isZero()) {
            throw new IllegalArgumentException("idle poll interval must be positive, not " + idlePollInterval);
        }
    }
}
