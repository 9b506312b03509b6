package io.tapio.bench;

import java.util.Arrays;
import java.util.List;

/** Medians, for benchmark rounds; the trend of a figure sampled over time. */
public final class Stats {
    private Stats() {}

    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The least-squares slope of {@code ys} over {@code xs}; NaN for fewer than two distinct xs. */
    public static double slope(List<Double> xs, List<Double> ys) {
        if (xs.size() != ys.size()) {
            throw new IllegalArgumentException(xs.size() + " xs for " + ys.size() + " ys");
        }
        double meanX = xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double meanY = ys.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < xs.size(); i++) {
            covariance += (xs.get(i) - meanX) * (ys.get(i) - meanY);
            variance += (xs.get(i) - meanX) * (xs.get(i) - meanX);
        }
        return variance == 0 ? Double.NaN : covariance / variance;
    }
}
