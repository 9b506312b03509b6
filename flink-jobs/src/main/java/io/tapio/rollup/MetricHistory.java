package io.tapio.rollup;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One workload's metric over recent minutes: the baseline windows, and the windows of an
 * increase being confirmed (kept out of the baseline until it ends).
 */
final class MetricHistory implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What judging a window found. */
    record Verdict(double baseline, double current, double change, double confidence, int windows, long samples) {}

    private final Deque<Double> baseline = new ArrayDeque<>();
    private final List<Double> increase = new ArrayList<>();
    /** The least significant window of the increase, in baseline standard deviations. */
    private double weakestZ = Double.POSITIVE_INFINITY;

    private long increaseSamples;
    private boolean reported;

    /**
     * Takes one window's value.
     *
     * @return the regression to report, once per episode; null otherwise
     */
    Verdict observe(double value, long samples, RegressionConfig config) {
        if (baseline.size() < config.minBaselineWindows()) {
            push(value, config);
            return null;
        }
        double mean =
                baseline.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double sd = Math.sqrt(
                baseline.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (baseline.size() - 1));
        boolean up = mean > 0 ? (value - mean) / mean > config.threshold() : value > 0;
        if (!up) {
            increase.forEach(v -> push(v, config));
            increase.clear();
            increaseSamples = 0;
            weakestZ = Double.POSITIVE_INFINITY;
            reported = false;
            push(value, config);
            return null;
        }
        increase.add(value);
        increaseSamples += samples;
        weakestZ = Math.min(weakestZ, sd == 0 ? Double.POSITIVE_INFINITY : (value - mean) / sd);
        double current =
                increase.stream().mapToDouble(Double::doubleValue).average().orElse(value);
        double confidence = normal(weakestZ);
        if (increase.size() >= config.persistWindows() && !reported && confidence >= config.minConfidence()) {
            reported = true;
            return new Verdict(
                    mean,
                    current,
                    mean > 0 ? (current - mean) / mean : Double.POSITIVE_INFINITY,
                    confidence,
                    increase.size(),
                    increaseSamples);
        }
        return null;
    }

    /**
     * How sure the increase is: every one of its windows must stand out from the baseline's
     * own variation, so the weakest decides. The normal distribution's P(X < z); a baseline
     * without variation makes any increase certain.
     */
    static double normal(double z) {
        return z == Double.POSITIVE_INFINITY ? 1 : 0.5 * (1 + erf(z / Math.sqrt(2)));
    }

    /** Abramowitz and Stegun 7.1.26: within 1.5e-7. */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1
                - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                        * t
                        * Math.exp(-x * x);
        return x >= 0 ? y : -y;
    }

    private void push(double value, RegressionConfig config) {
        baseline.addLast(value);
        while (baseline.size() > config.baselineWindows()) {
            baseline.removeFirst();
        }
    }
}
