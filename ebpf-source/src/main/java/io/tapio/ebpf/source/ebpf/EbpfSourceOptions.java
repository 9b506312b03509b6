package io.tapio.ebpf.source.ebpf;

import io.tapio.ebpf.batch.AdaptiveBatchSize;
import io.tapio.ebpf.collector.CollectorConfig;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * How an {@link EbpfSource} reads: the kernel side's configuration, the batch bounds, how long
 * records gather on a busy ring, and the scheduler slice its threads ask for.
 *
 * @param readerSlice the slice the reader's threads run in ({@link ReaderSlice}); zero leaves the scheduler's
 */
public record EbpfSourceOptions(
        CollectorConfig collector, AdaptiveBatchSize.Settings batch, Coalescing coalescing, Duration readerSlice)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 4L;

    /** 100 µs: the shortest slice the kernel gives, and what measured best (README "bench job"). */
    public static final Duration DEFAULT_READER_SLICE = Duration.ofNanos(100_000);

    public EbpfSourceOptions {
        if (readerSlice.isNegative()) {
            throw new IllegalArgumentException("a scheduler slice cannot be negative: " + readerSlice);
        }
    }
}
