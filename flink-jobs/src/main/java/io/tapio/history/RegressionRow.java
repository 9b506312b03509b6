package io.tapio.history;

import io.tapio.model.Regression;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * A row of {@code regressions}, whoever found it.
 *
 * @param source {@link #STREAM}, {@link #ROLLUPS} or {@link #BENCH}
 * @param changePercent how much worse, in percent of the baseline (for throughput, the drop)
 * @param thresholdPercent the threshold it crossed; null from the streaming detector
 */
public record RegressionRow(
        Instant detectedAt,
        String source,
        WorkloadId workload,
        String metric,
        Instant windowStart,
        Instant windowEnd,
        double baseline,
        double current,
        double changePercent,
        Double thresholdPercent,
        double confidence,
        int windows,
        long samples)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final String STREAM = "stream";
    public static final String ROLLUPS = "rollups";
    public static final String BENCH = "bench";

    /** What the streaming detector found, reported at {@code detectedAt}. */
    public static RegressionRow of(Regression r, Instant detectedAt) {
        Instant start = Instant.ofEpochMilli(r.windowStartEpochMillis());
        return new RegressionRow(
                detectedAt,
                STREAM,
                WorkloadId.of(r.workload()),
                r.metric().label(),
                start,
                start.plus(Duration.ofMinutes(r.windows())),
                r.baseline(),
                r.current(),
                r.changePercent(),
                null,
                r.confidence(),
                r.windows(),
                r.samples());
    }
}
