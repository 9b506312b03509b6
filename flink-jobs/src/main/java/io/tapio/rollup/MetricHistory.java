package io.tapio.rollup;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * One workload's metric over its recent minutes (those with enough events behind them): the
 * windows judged and the baseline before them, oldest first, in a ring as long as both.
 *
 * <p>A baseline that was rising (a daily cycle's climb) is carried forward before judging: its
 * older half is raised to the newer half's level, and the recent minutes are lowered by the
 * same growth over the time from the newer half to them, so that a steady climb is not taken
 * for a step. A level or falling baseline is taken as it is. Either way the recent minutes can
 * only look lower and the baseline higher, so {@link LevelShift}'s bound on false regressions
 * stands.
 *
 * <p>Once a regression is reported, the minutes before it are forgotten: the new level is the
 * baseline from then on, so one rise is reported once.
 */
final class MetricHistory implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    /** What judging a minute found: the regression, over the last {@code windows} minutes. */
    record Verdict(
            double baseline,
            double current,
            double change,
            double confidence,
            int windows,
            long samples,
            long windowStartEpochMillis) {}

    private float[] values = new float[0];
    private int[] samples = new int[0];
    private int[] minutes = new int[0];
    /** Where the oldest minute is in the ring. */
    private int first;

    private int size;

    /**
     * Takes one minute's value and, on the minutes the config judges, the windows that end
     * with it, shortest first.
     *
     * @return the regression to report, once per rise; null otherwise
     */
    Verdict observe(double value, long samples, long minuteEpochMillis, RegressionConfig config) {
        append(value, samples, minuteEpochMillis, config.longestWindow() + config.baselineWindows());
        if (!config.judges(minuteEpochMillis)) {
            return null;
        }
        LevelShift shift = config.shift();
        for (int window : config.windows()) {
            int baseline = Math.min(config.baselineWindows(), size - window);
            if (baseline < config.minBaselineWindows()) {
                break;
            }
            Verdict verdict = judge(window, baseline, shift);
            if (verdict != null) {
                forgetAllBut(window);
                return verdict;
            }
        }
        return null;
    }

    private Verdict judge(int window, int baselineSize, LevelShift shift) {
        double[] recent = range(size - window, window);
        double[] baseline = range(size - window - baselineSize, baselineSize);
        if (!(LevelShift.level(recent) > LevelShift.level(baseline) * (1 + shift.threshold()))) {
            return null; // carrying a climb forward would only lower the rise: nothing to judge
        }
        int newerSize = baselineSize / 2;
        int olderSize = baselineSize - newerSize;
        double olderLevel = LevelShift.level(Arrays.copyOf(baseline, olderSize));
        double newerLevel = LevelShift.level(Arrays.copyOfRange(baseline, olderSize, baselineSize));
        double growth = olderLevel > 0 && newerLevel > olderLevel ? newerLevel / olderLevel : 1;
        // from the newer half's middle to the recent minutes', in distances between the halves' middles
        double carried = Math.pow(growth, (newerSize + window) / (double) baselineSize);
        for (int i = 0; i < olderSize; i++) {
            baseline[i] *= growth;
        }
        for (int i = 0; i < window; i++) {
            recent[i] /= carried;
        }
        LevelShift.Verdict verdict = shift.judge(recent, baseline);
        if (verdict == null) {
            return null;
        }
        long recentSamples = 0;
        for (int i = size - window; i < size; i++) {
            recentSamples += samples[slot(i)];
        }
        return new Verdict(
                verdict.baseline() * carried,
                verdict.current() * carried,
                verdict.change(),
                verdict.confidence(),
                window,
                recentSamples,
                minutes[slot(size - window)] * 60_000L);
    }

    private void append(double value, long count, long minuteEpochMillis, int capacity) {
        if (values.length != capacity) {
            resize(capacity);
        }
        if (size == capacity) {
            first = (first + 1) % capacity;
            size--;
        }
        int slot = slot(size);
        values[slot] = (float) value;
        samples[slot] = (int) Math.min(Integer.MAX_VALUE, count);
        minutes[slot] = (int) (minuteEpochMillis / 60_000);
        size++;
    }

    private void resize(int capacity) {
        int keep = Math.min(size, capacity);
        float[] v = new float[capacity];
        int[] s = new int[capacity];
        int[] m = new int[capacity];
        for (int i = 0; i < keep; i++) {
            int from = slot(size - keep + i);
            v[i] = values[from];
            s[i] = samples[from];
            m[i] = minutes[from];
        }
        values = v;
        samples = s;
        minutes = m;
        first = 0;
        size = keep;
    }

    private void forgetAllBut(int newest) {
        first = slot(size - newest);
        size = newest;
    }

    /** The {@code count} values from the {@code from}-th oldest. */
    private double[] range(int from, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = values[slot(from + i)];
        }
        return out;
    }

    private int slot(int i) {
        return (first + i) % values.length;
    }
}
