package io.tapio.rollup;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The rule both regression detectors apply to a metric: its recent values stand above its
 * baseline for good, not by noise and not by a burst that ends. All of:
 *
 * <ul>
 *   <li><b>beyond the threshold</b>: the recent level over the baseline's, minus one, exceeds
 *       {@code threshold}; a level is the mean of the middle half of the values, which a burst
 *       or a dip of less than a quarter of them hardly moves;
 *   <li><b>lasting</b>: without their worst stretch of {@code burst} consecutive values (the
 *       one that weighs most for a rise), the recent values are still above the baseline. A
 *       burst of up to {@code burst} values, of any height, cannot make a regression on its
 *       own: a 3x spike of 20 minutes is not a regression, a rise that lasts is;
 *   <li><b>certain, for how often it is asked</b>: a one-sided rank-sum test (Mann–Whitney) of
 *       those values against the baseline gives the chance p of so high a rank sum without a
 *       change. It assumes nothing of the distribution (latencies are skewed, counts discrete).
 *       A detector that judges a metric every 5 minutes at two window lengths asks 4,032 times
 *       a week, so a p of one in ten thousand is no news: the confidence is
 *       {@code 1 - p * judgementsPerWeek} (the union bound), and at {@code minConfidence} 0.95 a
 *       metric that does not change raises at most 0.05 regressions a week (fewer: the
 *       judgements overlap, the normal approximation of the rank sum overstates its tail, and
 *       leaving out the worst stretch only lowers the rank sum).
 * </ul>
 *
 * @param threshold the relative rise that counts (0.10: 10%)
 * @param burst how many consecutive recent values a burst may take without being a regression
 * @param judgementsPerWeek how often the detector judges one metric in a week
 * @param minConfidence how sure it must be, 0 to 1
 */
public record LevelShift(double threshold, int burst, double judgementsPerWeek, double minConfidence)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Numerical Recipes' Chebyshev fit of the complementary error function (fractional error below 1.2e-7). */
    private static final double[] ERFC = {
        -1.26551223,
        1.00002368,
        0.37409196,
        0.09678418,
        -0.18628806,
        0.27886807,
        -1.13520398,
        1.48851587,
        -0.82215223,
        0.17087277
    };

    public LevelShift {
        if (!(threshold > 0) || burst < 0 || !(judgementsPerWeek >= 1) || !(minConfidence > 0 && minConfidence < 1)) {
            throw new IllegalArgumentException("invalid level-shift rule: threshold " + threshold + ", burst " + burst
                    + ", judgements a week " + judgementsPerWeek + ", confidence " + minConfidence);
        }
    }

    /**
     * What judging found.
     *
     * @param baseline the baseline's level
     * @param current the recent values' level
     * @param change {@code current / baseline - 1}
     * @param confidence 0 to 1, as the class says
     */
    public record Verdict(double baseline, double current, double change, double confidence) {}

    /**
     * @param recent the recent values, oldest first
     * @param baseline the values to compare them with, in any order
     * @return the regression, or null when there is none
     */
    public Verdict judge(double[] recent, double[] baseline) {
        if (recent.length <= burst || baseline.length < 2) {
            return null;
        }
        double[] base = baseline.clone();
        Arrays.sort(base);
        double baseLevel = levelOfSorted(base);
        if (!(baseLevel > 0)) {
            return null; // a rise from nothing has no percentage; findings report such things
        }
        double current = level(recent);
        double change = current / baseLevel - 1;
        if (!(change > threshold)) {
            return null;
        }
        double confidence = Math.max(0, 1 - riseChance(recent, base) * judgementsPerWeek);
        return confidence >= minConfidence ? new Verdict(baseLevel, current, change, confidence) : null;
    }

    /** The mean of the middle half of the values (the interquartile mean). */
    public static double level(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return levelOfSorted(sorted);
    }

    private static double levelOfSorted(double[] sorted) {
        int quarter = sorted.length / 4;
        double sum = 0;
        for (int i = quarter; i < sorted.length - quarter; i++) {
            sum += sorted[i];
        }
        return sum / (sorted.length - 2 * quarter);
    }

    /**
     * The one-sided p of the rank-sum test of {@code recent} without its worst stretch against
     * the sorted baseline. A value's share of the Mann–Whitney U is the number of baseline values
     * below it (ties count half), so the U of any subset is the sum of its values' shares and
     * the worst stretch is the window of {@code burst} shares with the largest sum.
     */
    private double riseChance(double[] recent, double[] sortedBaseline) {
        double[] share = new double[recent.length];
        for (int i = 0; i < recent.length; i++) {
            int below = lowerBound(sortedBaseline, recent[i]);
            int equal = lowerBound(sortedBaseline, Math.nextUp(recent[i])) - below;
            share[i] = below + equal / 2.0;
        }
        double stretch = 0;
        for (int i = 0; i < burst; i++) {
            stretch += share[i];
        }
        double worst = stretch;
        int worstStart = 0;
        for (int i = burst; i < recent.length; i++) {
            stretch += share[i] - share[i - burst];
            if (stretch > worst) {
                worst = stretch;
                worstStart = i - burst + 1;
            }
        }
        double u = -worst;
        double[] kept = new double[recent.length - burst];
        for (int i = 0, k = 0; i < recent.length; i++) {
            u += share[i];
            if (i < worstStart || i >= worstStart + burst) {
                kept[k++] = recent[i];
            }
        }
        return upperTail(rankSumZ(u, kept, sortedBaseline));
    }

    /** Mann–Whitney's U in standard deviations above its mean without a change, with ties corrected for. */
    private static double rankSumZ(double u, double[] recent, double[] sortedBaseline) {
        double n1 = recent.length;
        double n2 = sortedBaseline.length;
        double n = n1 + n2;
        double[] all = Arrays.copyOf(recent, recent.length + sortedBaseline.length);
        System.arraycopy(sortedBaseline, 0, all, recent.length, sortedBaseline.length);
        Arrays.sort(all);
        double ties = 0;
        for (int i = 0, j; i < all.length; i = j) {
            j = i + 1;
            while (j < all.length && all[j] == all[i]) {
                j++;
            }
            double t = j - i;
            ties += t * t * t - t;
        }
        double variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)));
        if (!(variance > 0)) {
            return Double.NEGATIVE_INFINITY; // every value the same: nothing rose
        }
        return (u - n1 * n2 / 2 - 0.5) / Math.sqrt(variance);
    }

    /** The first index whose value is not below {@code v}. */
    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** P(Z > z) for a standard normal Z, to a relative error below 1.2e-7 deep into the tail. */
    static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** The complementary error function, by {@link #ERFC}. */
    static double erfc(double x) {
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double polynomial = 0;
        for (int i = ERFC.length - 1; i >= 0; i--) {
            polynomial = polynomial * t + ERFC[i];
        }
        double y = t * Math.exp(-x * x + polynomial);
        return x >= 0 ? y : 2 - y;
    }
}
