package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.history.HistoryConfig;
import io.tapio.history.HistorySql;
import io.tapio.history.NoisyHistory;
import io.tapio.history.Regress;
import io.tapio.history.RegressOptions;
import io.tapio.history.RegressionRow;
import io.tapio.model.RollupMetric;
import io.tapio.model.Workload;
import io.tapio.rollup.NoisyRollups;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapio regress} (the real {@link Regress}, run as the command runs it) over eight days of
 * rollups in an Iceberg table on disk, made the way real minutes vary ({@link NoisyRollups}) at
 * three noise levels with a daily cycle of +-30%: what README's regressions section promises,
 * measured. The last day is judged hour by hour against the seven before: steady workloads, and
 * workloads with a burst of 10 to 20 minutes at three times the load every day, regress in no
 * window; a lasting step of 15% is found in the first whole window after it (an hour on quiet
 * metrics, four on middling ones, a day on noisy ones) and recorded once.
 */
class RegressOnNoiseTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Instant MONDAY = Instant.parse("2026-03-02T00:00:00Z");
    private static final int DAYS = 8;
    /** The day judged: the last. */
    private static final Instant JUDGED = MONDAY.plus(Duration.ofDays(DAYS - 1));
    /** When the steps start on the judged day, and how long the first window after it is, by noise level. */
    private static final Duration STEP_AT = Duration.ofHours(8);

    @TempDir
    Path dataDir;

    private static Workload workload(String name) {
        return Workload.host(new Workload.Cgroup("node-1", name.hashCode(), "/" + name));
    }

    /** A burst a day of 10 to 20 minutes at 3x; on the judged day, inside the windows judged. */
    private static NoisyRollups.Level bursts(long seed) {
        Random random = new Random(seed);
        NoisyRollups.Level level = NoisyRollups.Level.daily(0.3);
        for (int day = 0; day < DAYS; day++) {
            long start = day * 1440L + (day == DAYS - 1 ? 7 * 60 + 20 : random.nextInt(1440 - 20));
            level = level.times(3, start, start + 10 + random.nextInt(11));
        }
        return level;
    }

    private static NoisyRollups.Level stepAt(long minute) {
        return NoisyRollups.Level.daily(0.3).times(1.15, minute, Long.MAX_VALUE);
    }

    private static Regress.Outcome regress(HistoryConfig config, Instant end, Duration window) throws Exception {
        return Regress.run(config, new RegressOptions(end, window, 7, 10, 30, 5), end.plus(Duration.ofMinutes(5)));
    }

    @Test
    void steadyAndBurstyWorkloadsRegressInNoWindowAndAStepOf15PercentIsFoundInTheFirstWindowAfterItOnce()
            throws Exception {
        long stepMinute = (DAYS - 1) * 1440L + STEP_AT.toMinutes();
        List<NoisyRollups> series = new ArrayList<>();
        for (NoisyRollups.Profile p : List.of(NoisyRollups.QUIET, NoisyRollups.MODERATE, NoisyRollups.NOISY)) {
            series.add(new NoisyRollups(workload(p.name() + "-steady"), p, NoisyRollups.Level.daily(0.3), 21));
            series.add(new NoisyRollups(workload(p.name() + "-bursts"), p, bursts(22), 22));
        }
        NoisyRollups quietStep = new NoisyRollups(workload("quiet-step"), NoisyRollups.QUIET, stepAt(stepMinute), 23);
        NoisyRollups moderateStep =
                new NoisyRollups(workload("moderate-step"), NoisyRollups.MODERATE, stepAt(stepMinute), 24);
        NoisyRollups noisyStep =
                new NoisyRollups(workload("noisy-step"), NoisyRollups.NOISY, stepAt((DAYS - 1) * 1440L), 25);
        List<NoisyRollups> all = new ArrayList<>(series);
        all.addAll(List.of(quietStep, moderateStep, noisyStep));
        HistoryConfig config = HistoryConfig.hadoop(dataDir);
        NoisyHistory.write(config, all, MONDAY.toEpochMilli(), DAYS * 1440);

        // the judged day hour by hour, as the CronJob does (every fourth hour, to keep the test short)
        Set<String> steady = series.stream().map(s -> s.workload().key()).collect(Collectors.toSet());
        List<RegressionRow> falseOnes = new ArrayList<>();
        List<RegressionRow> quietFound = new ArrayList<>();
        int judgements = 0;
        for (int hour = 4; hour <= 24; hour += 4) {
            Regress.Outcome outcome = regress(config, JUDGED.plus(Duration.ofHours(hour)), Duration.ofHours(1));
            judgements += steady.size() * RollupMetric.values().length;
            for (RegressionRow r : outcome.regressions()) {
                if (steady.contains(r.workload().key())) {
                    falseOnes.add(r);
                } else if (r.workload().key().equals(quietStep.workload().key())) {
                    quietFound.add(r);
                }
            }
        }
        double bound = (1 - RegressOptions.MIN_CONFIDENCE) / (7 * 24);
        System.out.printf(
                "tapio regress on steady noise and bursts: %d false regressions in %d hourly judgements (%.4f each, "
                        + "bound %.5f)%n",
                falseOnes.size(), judgements, falseOnes.size() / (double) judgements, bound);
        assertTrue(falseOnes.size() <= bound * judgements, falseOnes.toString());

        // quiet: the window from the step to an hour after it
        Regress.Outcome quiet = regress(config, JUDGED.plus(STEP_AT).plus(Duration.ofHours(1)), Duration.ofHours(1));
        assertFoundOnEveryMetric(quiet, quietStep, 0.15);
        // middling: four hours; noisy: the day
        assertFoundOnEveryMetric(
                regress(config, JUDGED.plus(STEP_AT).plus(Duration.ofHours(4)), Duration.ofHours(4)),
                moderateStep,
                0.15);
        assertFoundOnEveryMetric(regress(config, JUDGED.plus(Duration.ofDays(1)), Duration.ofDays(1)), noisyStep, 0.15);

        // recorded once: judging again, and the later windows the step is still in, add nothing
        Regress.Outcome again = regress(config, JUDGED.plus(STEP_AT).plus(Duration.ofHours(1)), Duration.ofHours(1));
        assertEquals(List.of(), again.recorded());
        try (HistorySql sql = new HistorySql(config)) {
            for (NoisyRollups stepped : List.of(quietStep, moderateStep, noisyStep)) {
                assertEquals(
                        (long) RollupMetric.values().length,
                        sql.query("SELECT COUNT(*) FROM regressions WHERE workload_key = '"
                                        + stepped.workload().key() + "'")
                                .rows()
                                .getFirst()
                                .getField(0),
                        stepped.workload().key() + ": one regression a metric");
            }
        }
    }

    private static void assertFoundOnEveryMetric(Regress.Outcome outcome, NoisyRollups stepped, double step) {
        List<RegressionRow> found = outcome.regressions().stream()
                .filter(r -> r.workload().key().equals(stepped.workload().key()))
                .toList();
        System.out.printf(
                "tapio regress: a step of %.0f%% on %s metrics in a %s window: %s%n",
                100 * step,
                stepped.profile().name(),
                Duration.between(
                        found.isEmpty() ? Instant.EPOCH : found.getFirst().windowStart(),
                        found.isEmpty() ? Instant.EPOCH : found.getFirst().windowEnd()),
                found.stream()
                        .map(r -> String.format("%s %+.1f%% (%.4f)", r.metric(), r.changePercent(), r.confidence()))
                        .toList());
        assertEquals(
                Set.of(RollupMetric.values()).stream().map(RollupMetric::label).collect(Collectors.toSet()),
                found.stream().map(RegressionRow::metric).collect(Collectors.toSet()),
                stepped.profile().name() + ": " + found);
        for (RegressionRow r : found) {
            assertTrue(r.changePercent() >= 100 * step / 2, r.toString());
            assertTrue(r.confidence() >= RegressOptions.MIN_CONFIDENCE, r.toString());
            assertEquals(r.current() / r.baseline() - 1, r.changePercent() / 100, 1e-9);
        }
    }
}
