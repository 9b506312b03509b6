package io.tapio.ebpf.batch;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * How many records a source reader hands downstream in one call. A larger batch costs less
 * per record and drains a filling buffer faster; a smaller one holds the task thread for
 * less time, so checkpoint barriers and timers are not kept waiting behind it. The size
 * doubles while the source's buffer fills (the reader is falling behind) and halves when a
 * batch took longer than the latency target to hand over (downstream pushes back), always
 * within the bounds.
 */
public final class AdaptiveBatchSize {
    /**
     * @param min the smallest batch
     * @param max the largest batch
     * @param latencyTarget how long handing over one batch may take
     * @param growWhenFilled grow while the buffer is fuller than this fraction
     */
    public record Settings(int min, int max, Duration latencyTarget, double growWhenFilled) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        public Settings {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException(
                        "batch bounds must satisfy 1 <= min <= max, not " + min + ".." + max);
            }
            if (latencyTarget.isNegative() || latencyTarget.isZero()) {
                throw new IllegalArgumentException("latency target must be positive, not " + latencyTarget);
            }
            if (growWhenFilled <= 0 || growWhenFilled >= 1) {
                throw new IllegalArgumentException("fill threshold must be between 0 and 1, not " + growWhenFilled);
            }
        }

        public static Settings defaults() {
            return new Settings(64, 16_384, Duration.ofMillis(2), 0.05);
        }
    }

    private final Settings settings;
    private final long latencyTargetNanos;
    private int size;

    public AdaptiveBatchSize(Settings settings) {
        this.settings = settings;
        this.latencyTargetNanos = settings.latencyTarget().toNanos();
        this.size = settings.min();
    }

    public int size() {
        return size;
    }

    /**
     * Adjusts after a source's batch: halves when handing it over took longer than the
     * target, doubles while the buffer fills.
     *
     * @param batchNanos how long handing the batch over took
     * @param fillRatio how full the source's buffer was after the batch, from 0 to 1
     */
    public void update(long batchNanos, double fillRatio) {
        adjust(batchNanos > latencyTargetNanos, fillRatio > settings.growWhenFilled());
    }

    /**
     * Adjusts after a batch that waited for its records to arrive (a keyed batch rather than a
     * reader's): halves when filling it took longer than the latency target, doubles when it
     * took at most half of it, so that the doubled batch still fills within the target. Records
     * that arrive further apart than the target get batches of one, which do not wait.
     *
     * @param fillNanos from the batch's first record to its last
     */
    public void filled(long fillNanos) {
        adjust(fillNanos > latencyTargetNanos, fillNanos <= latencyTargetNanos / 2);
    }

    /**
     * Adjusts after a batch measured against the latency target: halves when over it,
     * otherwise doubles if {@code grow}.
     */
    public void adjust(boolean overTarget, boolean grow) {
        if (overTarget) {
            size = Math.max(settings.min(), size / 2);
        } else if (grow) {
            size = (int) Math.min(settings.max(), 2L * size);
        }
    }
}
