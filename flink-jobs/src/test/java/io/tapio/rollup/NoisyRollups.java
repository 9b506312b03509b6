package io.tapio.rollup;

import io.tapio.ebpf.abi.EventType;
import io.tapio.model.Rollup;
import io.tapio.model.RollupMetric;
import io.tapio.model.Workload;
import java.io.Serial;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A workload's one-minute rollups as the job makes them, with the variation real minutes have:
 * the load wanders from minute to minute (gamma, the over-dispersion of real traffic); events,
 * failures, slow run-queue waits, slow block I/O and connects are Poisson around it; each wait,
 * I/O and connect takes a log-normal time, and their p99 is read from a real
 * {@link LatencyHistogram}, buckets and all. Each minute is drawn from its own seed, so any
 * minute can be made alone (in a Flink source, in any order) and the same minute is always the
 * same.
 *
 * @param level the workload's load by minute, as a multiple of its usual one: counts and
 *     latencies both follow it (a burst of 3x triples them, a step of 15% raises them by 15%)
 */
public record NoisyRollups(Workload workload, Profile profile, Level level, long seed) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Poisson counts above this mean are drawn from the normal approximation (skew 0.1 or less). */
    private static final double EXACT_POISSON_BELOW = 100;

    private static final double RUNQ_MEDIAN_NANOS = 2e6;
    private static final double BLOCK_MEDIAN_NANOS = 20e6;
    private static final double CONNECT_MEDIAN_NANOS = 1e6;

    /**
     * How busy a workload is, per minute at its usual load, and how spread its latencies are.
     *
     * @param loadSpread the coefficient of variation of the load from one minute to the next
     * @param latencySpread the standard deviation of the latencies' logarithm
     */
    public record Profile(
            String name,
            double events,
            double loadSpread,
            double failures,
            double runqWaits,
            double blockIos,
            double connects,
            double latencySpread)
            implements Serializable {}

    /** A busy workload: minute-to-minute variation of 1% to 8% (coefficient of variation). */
    public static final Profile QUIET = new Profile("quiet", 20_000, 0.03, 400, 600, 300, 300, 0.4);

    /** A middling one: 8% to 20%. */
    public static final Profile MODERATE = new Profile("moderate", 3_000, 0.08, 60, 100, 60, 60, 0.6);

    /** A small one, whose p99s rest on a few dozen events: 15% to 50%. */
    public static final Profile NOISY = new Profile("noisy", 500, 0.15, 25, 40, 30, 30, 0.8);

    /** The load by minute (counted from the series' start), as a multiple of the usual one. */
    @FunctionalInterface
    public interface Level extends Serializable {
        double at(long minute);

        static Level steady() {
            return minute -> 1;
        }

        /** A daily cycle: {@code 1 + amplitude * sin}, lowest at 18:00 and highest at 06:00 if minute 0 is midnight. */
        static Level daily(double amplitude) {
            return minute -> 1 + amplitude * Math.sin(2 * Math.PI * minute / (24 * 60));
        }

        /** This level times {@code factor} from {@code start} (inclusive) to {@code end} (exclusive). */
        default Level times(double factor, long start, long end) {
            return minute -> at(minute) * (minute >= start && minute < end ? factor : 1);
        }
    }

    /** The rollup of the {@code minute}-th minute after {@code startEpochMillis}. */
    public Rollup minute(long startEpochMillis, long minute) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + minute);
        double load = level.at(minute) * gamma(random, 1 / (profile.loadSpread() * profile.loadSpread()));
        double latency = level.at(minute);
        long failures = poisson(random, profile.failures() * load);
        long runq = poisson(random, profile.runqWaits() * load);
        long block = poisson(random, profile.blockIos() * load);
        long connects = poisson(random, profile.connects() * load);
        long other = poisson(random, profile.events() * load);
        long total = other + runq + block + connects;

        Map<RollupMetric, Rollup.Sample> metrics = new EnumMap<>(RollupMetric.class);
        metrics.put(RollupMetric.EVENT_RATE, new Rollup.Sample(total, total));
        metrics.put(RollupMetric.FAILURES, new Rollup.Sample(failures, total));
        metrics.put(RollupMetric.RUNQ_SLOW_WAITS, new Rollup.Sample(runq, runq));
        metrics.put(RollupMetric.BLOCK_IO_SLOW, new Rollup.Sample(block, block));
        p99(random, metrics, RollupMetric.RUNQ_LATENCY_P99, runq, RUNQ_MEDIAN_NANOS * latency);
        p99(random, metrics, RollupMetric.BLOCK_IO_LATENCY_P99, block, BLOCK_MEDIAN_NANOS * latency);
        p99(random, metrics, RollupMetric.CONNECT_LATENCY_P99, connects, CONNECT_MEDIAN_NANOS * latency);
        Map<String, Long> events = Map.of(
                EventType.EXEC.label(), other,
                EventType.RUNQ_LATENCY.label(), runq,
                EventType.BLOCK_IO_LATENCY.label(), block,
                EventType.TCP_CONNECT.label(), connects);
        return new Rollup(workload.key(), workload, startEpochMillis + minute * 60_000, events, failures, metrics);
    }

    private void p99(
            SplittableRandom random,
            Map<RollupMetric, Rollup.Sample> metrics,
            RollupMetric metric,
            long n,
            double median) {
        if (n == 0) {
            return;
        }
        LatencyHistogram histogram = new LatencyHistogram();
        double mu = Math.log(median);
        for (long i = 0; i < n; i++) {
            histogram.record((long) Math.exp(mu + profile.latencySpread() * random.nextGaussian()));
        }
        metrics.put(metric, new Rollup.Sample(histogram.quantileSeconds(0.99), n));
    }

    private static long poisson(SplittableRandom random, double mean) {
        if (mean >= EXACT_POISSON_BELOW) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        // Knuth: count uniforms until their product falls below e^-mean
        double limit = Math.exp(-mean);
        long k = 0;
        for (double product = random.nextDouble(); product > limit; product *= random.nextDouble()) {
            k++;
        }
        return k;
    }

    /** Gamma with mean 1 and this shape (Marsaglia and Tsang's method; the shape is at least 1 here). */
    private static double gamma(SplittableRandom random, double shape) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            if (Math.log(random.nextDouble()) < x * x / 2 + d - d * v + d * Math.log(v)) {
                return d * v / shape;
            }
        }
    }
}
