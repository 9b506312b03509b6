package io.tapio.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.model.Regression;
import io.tapio.model.Rollup;
import io.tapio.model.RollupMetric;
import io.tapio.model.Workload;
import io.tapio.model.types.JavaSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The streaming detector in a real MiniCluster, keyed by workload, on minutes made the way real
 * ones vary ({@link NoisyRollups}) at three noise levels: what README's regressions section
 * promises, measured. A week of steady minutes, a week with a daily cycle of +-30%, and a week
 * with a burst of 10 to 20 minutes at three times the load every day raise no more false
 * regressions than the confidence allows (0.05 a metric a week) and none for a burst; a lasting
 * step is found within an hour.
 */
class RegressionsOnNoiseTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final long MONDAY = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final int WEEK = 7 * 24 * 60;
    private static final RegressionConfig CONFIG = RegressionConfig.defaults();
    private static final List<NoisyRollups.Profile> PROFILES =
            List.of(NoisyRollups.QUIET, NoisyRollups.MODERATE, NoisyRollups.NOISY);

    private static Workload workload(String name) {
        return Workload.host(new Workload.Cgroup("node-1", name.hashCode(), "/" + name));
    }

    /**
     * Every series' {@code minutes} minutes through the detector, keyed by workload, in a
     * MiniCluster: the series are spread over the subtasks by their workload's key and each is
     * made there, in order, as the job's rollups arrive at the detector.
     */
    private static List<Regression> detect(List<NoisyRollups> series, int minutes) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Rollup> rollups = env.fromSequence(0, series.size() - 1)
                .keyBy(i -> series.get(i.intValue()).workload().key(), Types.STRING)
                .flatMap(
                        (Long i, Collector<Rollup> out) -> {
                            for (int m = 0; m < minutes; m++) {
                                out.collect(series.get(i.intValue()).minute(MONDAY, m));
                            }
                        },
                        JavaSerializer.typeOf(Rollup.class));
        List<Regression> regressions = new ArrayList<>();
        try (CloseableIterator<Regression> out = DataStreamUtils.reinterpretAsKeyedStream(rollups, Rollup::workloadKey)
                .process(new RegressionDetector(CONFIG), JavaSerializer.typeOf(Regression.class))
                .executeAndCollect("regressions on noise")) {
            out.forEachRemaining(regressions::add);
        }
        return regressions;
    }

    /** A burst every day, at a time and of a length (10 to 20 minutes) drawn from the seed. */
    private static NoisyRollups.Level dailyBursts(long seed, List<long[]> bursts) {
        Random random = new Random(seed);
        NoisyRollups.Level level = NoisyRollups.Level.steady();
        for (int day = 0; day < 7; day++) {
            long start = day * 1440L + 240 + random.nextInt(1440 - 300);
            long end = start + 10 + random.nextInt(11);
            bursts.add(new long[] {start, end});
            level = level.times(3, start, end);
        }
        return level;
    }

    @Test
    void aWeekOfSteadyMinutesADailyCycleAndDailyBurstsRaisesNoMoreThanTheConfidenceAllowsAndNoneForABurst()
            throws Exception {
        List<NoisyRollups> series = new ArrayList<>();
        Map<String, List<long[]>> burstsOf = new TreeMap<>();
        for (NoisyRollups.Profile p : PROFILES) {
            series.add(new NoisyRollups(workload(p.name() + "-steady"), p, NoisyRollups.Level.steady(), 11));
            series.add(new NoisyRollups(workload(p.name() + "-daily"), p, NoisyRollups.Level.daily(0.3), 13));
            List<long[]> bursts = new ArrayList<>();
            Workload bursty = workload(p.name() + "-bursts");
            series.add(new NoisyRollups(bursty, p, dailyBursts(12, bursts), 12));
            burstsOf.put(bursty.key(), bursts);
        }

        List<Regression> regressions = detect(series, WEEK);

        int metricWeeks = series.size() * RollupMetric.values().length;
        double bound = 1 - CONFIG.minConfidence();
        System.out.printf(
                "stream on steady noise, daily cycles and bursts: %d false regressions in %d metric-weeks (%.3f a metric a week, bound %.2f)%n",
                regressions.size(), metricWeeks, regressions.size() / (double) metricWeeks, bound);
        for (NoisyRollups.Profile p : PROFILES) {
            System.out.printf(
                    "  %-8s minute-to-minute variation (coefficient of variation) %s%n", p.name(), variation(p));
        }
        for (Regression r : regressions) {
            System.out.printf(
                    "  %s %s from %s: %.4g -> %.4g (%+.1f%%, confidence %.4f, %d minutes)%n",
                    r.workloadKey(),
                    r.metric().label(),
                    Instant.ofEpochMilli(r.windowStartEpochMillis()),
                    r.baseline(),
                    r.current(),
                    r.changePercent(),
                    r.confidence(),
                    r.windows());
        }
        assertTrue(regressions.size() <= bound * metricWeeks, regressions.toString());
        for (Regression r : regressions) {
            long start = (r.windowStartEpochMillis() - MONDAY) / 60_000;
            for (long[] burst : burstsOf.getOrDefault(r.workloadKey(), List.of())) {
                assertTrue(
                        burst[1] <= start || burst[0] >= start + r.windows(),
                        "a burst of " + (burst[1] - burst[0]) + " minutes is no regression: " + r);
            }
        }
    }

    /** Each metric's coefficient of variation over a steady day of the profile. */
    private static String variation(NoisyRollups.Profile p) {
        NoisyRollups day = new NoisyRollups(workload("cv"), p, NoisyRollups.Level.steady(), 1);
        Map<RollupMetric, double[]> values = new TreeMap<>();
        for (int m = 0; m < 1440; m++) {
            Rollup rollup = day.minute(MONDAY, m);
            for (var e : rollup.metrics().entrySet()) {
                values.computeIfAbsent(e.getKey(), k -> new double[1440])[m] =
                        e.getValue().value();
            }
        }
        return values.entrySet().stream()
                .map(e -> {
                    double mean = Arrays.stream(e.getValue()).average().orElse(0);
                    double sd = Math.sqrt(Arrays.stream(e.getValue())
                            .map(v -> (v - mean) * (v - mean))
                            .average()
                            .orElse(0));
                    return String.format("%s %.0f%%", e.getKey().label(), 100 * sd / mean);
                })
                .collect(Collectors.joining(", "));
    }

    @Test
    void aLastingStepIsFoundWithinAnHourAtEachNoiseLevel() throws Exception {
        int stepAt = 240;
        int minutes = stepAt + 120;
        Map<NoisyRollups.Profile, Double> steps =
                Map.of(NoisyRollups.QUIET, 0.15, NoisyRollups.MODERATE, 0.60, NoisyRollups.NOISY, 1.0);
        List<NoisyRollups> series = new ArrayList<>();
        for (NoisyRollups.Profile p : PROFILES) {
            for (long seed = 1; seed <= 3; seed++) {
                series.add(new NoisyRollups(
                        workload(p.name() + "-step-" + seed),
                        p,
                        NoisyRollups.Level.steady().times(1 + steps.get(p), stepAt, Long.MAX_VALUE),
                        seed));
            }
        }

        List<Regression> regressions = detect(series, minutes);

        for (NoisyRollups.Profile p : PROFILES) {
            List<Long> delays = new ArrayList<>();
            for (NoisyRollups s : series.stream().filter(s -> s.profile() == p).toList()) {
                for (RollupMetric metric : RollupMetric.values()) {
                    List<Regression> found = regressions.stream()
                            .filter(r -> r.workloadKey().equals(s.workload().key()) && r.metric() == metric)
                            .toList();
                    assertEquals(1, found.size(), p.name() + " " + metric + ": " + found);
                    Regression r = found.getFirst();
                    long foundAfter = (r.windowStartEpochMillis() - MONDAY) / 60_000 + r.windows() - stepAt;
                    delays.add(foundAfter);
                    assertTrue(
                            foundAfter > CONFIG.burstWindows() && foundAfter <= 60 + CONFIG.judgeEvery(),
                            "within the longest window: " + r);
                    assertEquals(r.current() / r.baseline() - 1, r.changePercent() / 100, 1e-9);
                    // a p99 over more events reads higher: on a small workload it rises more than the load
                    assertTrue(r.changePercent() >= 100 * steps.get(p) / 2, r.toString());
                    assertTrue(r.confidence() >= CONFIG.minConfidence(), r.toString());
                }
            }
            System.out.printf(
                    "stream: a step of %.0f%% on %s metrics found %s minutes after it%n",
                    100 * steps.get(p), p.name(), delays.stream().sorted().toList());
        }
    }
}
