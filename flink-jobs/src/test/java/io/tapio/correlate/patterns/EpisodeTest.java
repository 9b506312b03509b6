package io.tapio.correlate.patterns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.correlate.process.Cause;
import io.tapio.correlate.process.Failure;
import io.tapio.correlate.process.Observation;
import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.ExitOrigin;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.OpenFailed;
import io.tapio.model.Finding;
import io.tapio.model.Severity;
import io.tapio.model.Workload;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules that turn occurrences into an episode, report it, escalate it and end it. */
class EpisodeTest {
    private static final Workload WORKLOAD =
            Workload.host(new Workload.Cgroup("node-1", 42, "/system.slice/app.service"));
    private static final KernelEvent EXIT = KernelEvent.of(
            new EventSubject(1, 0, 1, 1, 42, "app"), new Exit(1, 1, 0, false, ExitOrigin.MAIN, 1_000_000, 4096));
    private static final long SECOND = 1_000;
    /** Event time of the tests' first occurrence: wall-clock milliseconds, as events carry. */
    private static final long T0 = 1_764_000_000_000L;

    private final Pattern refused =
            new DependencyUnreachablePattern(Rule.count(3, Duration.ofMinutes(1), Duration.ofMinutes(2)));

    private static Finding.Status observe(Episode episode, Pattern pattern, long at) throws Exception {
        return episode.observe(pattern, new Observation.Seen(T0 + at, WORKLOAD, EXIT), () -> true);
    }

    /**
     * The heap state backend copies an episode that a checkpoint still holds before it is
     * changed: the copy is the same episode, field for field (its Java serialization is the
     * same bytes), and shares nothing the original changes afterwards.
     */
    @Test
    void aCopyIsTheSameEpisodeAndSharesNothingThatChangesAfterwards() throws Exception {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", T0 - 60 * SECOND);
        for (long t = 0; t < 4; t++) {
            observe(episode, refused, t * SECOND);
        }
        Episode copy = episode.copy();
        assertArrayEquals(serialized(episode), serialized(copy));

        observe(episode, refused, 4 * SECOND);
        assertEquals(4, copy.count());
        assertEquals(4, copy.occurrences.size());
        assertEquals(4, copy.evidence.size());
        assertEquals(T0 + 3 * SECOND, copy.lastSeen());
        assertEquals(5, episode.count());
    }

    private static byte[] serialized(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    @Test
    void opensOnTheNthOccurrenceWithinTheWindowOnly() throws Exception {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        assertNull(observe(episode, refused, 0));
        assertNull(observe(episode, refused, 70 * SECOND)); // the first is out of the window
        assertNull(observe(episode, refused, 80 * SECOND));
        assertEquals(Finding.Status.OPEN, observe(episode, refused, 90 * SECOND));
        assertEquals(3, episode.count());
        assertEquals(T0 + 70 * SECOND, episode.firstSeen());
    }

    @Test
    void reportsUpdatesOnlyWhenTheCountDoublesOrAMinutePasses() throws Exception {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        for (long t = 0; t < 3; t++) {
            observe(episode, refused, t * SECOND);
        }
        assertNull(observe(episode, refused, 3 * SECOND)); // 4
        assertNull(observe(episode, refused, 4 * SECOND)); // 5
        assertEquals(Finding.Status.UPDATE, observe(episode, refused, 5 * SECOND)); // 6: doubled
        assertNull(observe(episode, refused, 6 * SECOND));
        assertEquals(Finding.Status.UPDATE, observe(episode, refused, 70 * SECOND)); // a minute on
    }

    @Test
    void aCountThatMovedSinceTheLastReportIsReportedOnceItHasBeenStill() throws Exception {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        for (long t = 0; t < 4; t++) {
            observe(episode, refused, t * SECOND); // opens at 3, the 4th is not reported
        }
        assertFalse(episode.settled(T0 + 4 * SECOND + 500), "still moving: one a second until 3 s");
        assertTrue(episode.settled(T0 + 5 * SECOND));
        episode.settledReported(T0 + 5 * SECOND);
        assertFalse(episode.settled(T0 + 10 * SECOND), "reported: the count is true again");
    }

    @Test
    void aSteadyLoopIsNotReportedAfterEachOccurrenceButWhenItStops() throws Exception {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        for (long t = 0; t < 40; t += 10) {
            observe(episode, refused, t * SECOND); // opens at 20 s; 30 s is not reported
        }
        assertFalse(episode.settled(T0 + 39 * SECOND), "the next occurrence is due at 40 s");
        assertTrue(episode.settled(T0 + 50 * SECOND), "two gaps without one: the burst is over");
    }

    @Test
    void endsAfterTheQuietPeriodAndIsForgottenWhenTooOldToMatter() throws Exception {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        for (long t = 0; t < 3; t++) {
            observe(episode, refused, t * SECOND);
        }
        assertFalse(episode.over(refused, T0 + 2 * SECOND + 119 * SECOND));
        assertTrue(episode.over(refused, T0 + 2 * SECOND + 120 * SECOND));

        Episode unopened = new Episode("dependency_unreachable", "10.0.0.8:80", 0);
        observe(unopened, refused, 0);
        assertFalse(unopened.forgettable(refused, T0 + 59 * SECOND));
        assertTrue(unopened.forgettable(refused, T0 + 60 * SECOND));
    }

    @Test
    void aLastingRuleOpensOnlyOnceItsOccurrencesSpanItsMinimum() throws Exception {
        Pattern lasting = new DependencyUnreachablePattern(
                Rule.count(3, Duration.ofMinutes(5), Duration.ofMinutes(2)).lasting(Duration.ofSeconds(30)));
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        for (long t = 0; t < 30; t += 5) {
            assertNull(observe(episode, lasting, t * SECOND), "a wait of " + t + " s passes");
        }
        assertEquals(Finding.Status.OPEN, observe(episode, lasting, 30 * SECOND));
        assertEquals(7, episode.count());
        assertEquals(T0, episode.firstSeen());
    }

    @Test
    void occurrencesCloserThanTheMinimumSpacingAreOne() throws Exception {
        Pattern crashLoop = new CrashLoopPattern(CrashLoopPattern.DEFAULT);
        Episode episode = new Episode("crash_loop", "app", 0);
        for (long t = 0; t < 10; t++) {
            assertNull(observe(episode, crashLoop, t * 40), "ten processes failing within 400 ms");
        }
        assertNull(observe(episode, crashLoop, 5 * SECOND));
        assertEquals(Finding.Status.OPEN, observe(episode, crashLoop, 10 * SECOND));
        assertEquals(3, episode.count());
    }

    @Test
    void anEpisodeThatMayNotOpenStaysClosedAndOpensWhenItMay() throws Exception {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        Observation seen = new Observation.Seen(T0 + 5 * SECOND, WORKLOAD, EXIT);
        for (long t = 0; t < 5; t++) {
            assertNull(episode.observe(refused, new Observation.Seen(T0 + t * SECOND, WORKLOAD, EXIT), () -> false));
        }
        assertFalse(episode.open());
        assertEquals(Finding.Status.OPEN, episode.observe(refused, seen, () -> true));
    }

    @Test
    void anOomKillEscalatesToAnOomCrashLoopInTheSameEpisode() throws Exception {
        Pattern oom = new OomPattern(OomPattern.DEFAULT);
        Episode episode = new Episode("oom_kill", "java", 0);
        assertEquals(Finding.Status.OPEN, observe(episode, oom, 0));
        assertEquals(new Verdict("oom_kill", Severity.WARNING), oom.verdict(episode));
        assertTrue(episode.newVerdict());
        assertEquals(Finding.Status.UPDATE, observe(episode, oom, 20 * SECOND)); // doubled
        assertFalse(episode.newVerdict());
        assertEquals(Finding.Status.UPDATE, observe(episode, oom, 40 * SECOND), "escalates");
        assertEquals(new Verdict("oom_crash_loop", Severity.CRITICAL), oom.verdict(episode));
        assertTrue(episode.newVerdict());
        assertTrue(oom.summary(episode).contains("OOM crash loop"), oom.summary(episode));
    }

    @Test
    void aCrashLoopTellsTheCauseEachRunMet() throws Exception {
        Pattern crashLoop = new CrashLoopPattern(CrashLoopPattern.DEFAULT);
        KernelEvent open = KernelEvent.of(
                new EventSubject(1, 0, 1, 1, 42, "app"), new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app/config.yaml"));
        Cause missing = Cause.of(open);
        Episode episode = new Episode("crash_loop", "app", 0);
        Finding.Status status = null;
        for (long t = 0; t < 3; t++) {
            status = episode.observe(
                    crashLoop,
                    new Failure(T0 + t * 10 * SECOND, WORKLOAD, "app", true, false, missing, List.of(open, EXIT)),
                    () -> true);
        }
        assertEquals(Finding.Status.OPEN, status);
        assertTrue(episode.sameCauseEveryTime());
        assertEquals("missing_file|/etc/app/config.yaml", crashLoop.causeKey(episode));
        assertTrue(
                crashLoop.summary(episode).contains("each run met \"open of /etc/app/config.yaml failed"),
                crashLoop.summary(episode));
        assertTrue(crashLoop.recommendation(episode).startsWith("Mount or create /etc/app/config.yaml"));
        assertEquals(6, episode.evidence().size(), "each run's failed open and exit");
    }

    @Test
    void evidenceReadsAsTextWhenReported() throws Exception {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        observe(episode, refused, 5 * SECOND);

        Finding.Evidence evidence = episode.evidence().getFirst();
        assertEquals(T0 + 5 * SECOND, evidence.epochMillis());
        assertEquals("app", evidence.comm());
        assertTrue(evidence.description().startsWith("exited with status 1"), evidence.description());
    }

    @Test
    void aBaselinePatternNeedsHistoryAndARateFarOverIt() throws Exception {
        Pattern starvation = new CpuStarvationPattern(
                Rule.count(10, Duration.ofSeconds(10), Duration.ofMinutes(1)).overBaseline(5, 6));
        Episode episode = new Episode("cpu_starvation", "", 0);
        // 60 s of history at 4 waits per 10 s: the usual level.
        for (long t = 0; t < 60; t += 2) {
            if (t % 10 < 8) {
                assertNull(observe(episode, starvation, t * SECOND));
            }
        }
        // 10 waits in 10 s: over the count, but not 5 times the usual level.
        for (long t = 60; t < 70; t++) {
            assertNull(observe(episode, starvation, t * SECOND));
        }
        // 30 in the next 10 s: far over it.
        Finding.Status status = null;
        for (long t = 70_000; t < 80_000 && status == null; t += 333) {
            status = observe(episode, starvation, t);
        }
        assertEquals(Finding.Status.OPEN, status);
    }

    /**
     * A workload watched long enough with no slow wait at all has a usual level of zero: its
     * first burst is starvation, without waiting for a history of slow waits it never had.
     */
    @Test
    void aWorkloadWatchedLongEnoughWithoutOccurrencesHasAUsualLevelOfZero() throws Exception {
        Pattern starvation = new CpuStarvationPattern(
                Rule.count(10, Duration.ofSeconds(10), Duration.ofMinutes(1)).overBaseline(5, 6));
        Episode watched = new Episode("cpu_starvation", "", T0 + 1);
        Episode unknown = new Episode("cpu_starvation", "", 0);
        Finding.Status watchedStatus = null;
        Finding.Status unknownStatus = null;
        for (long t = 100_000; t < 110_000; t += 500) {
            watchedStatus = watchedStatus != null ? watchedStatus : observe(watched, starvation, t);
            unknownStatus = unknownStatus != null ? unknownStatus : observe(unknown, starvation, t);
        }
        assertEquals(Finding.Status.OPEN, watchedStatus, "watched since t=1 ms: 100 s of history");
        assertNull(unknownStatus, "first seen in the burst: no history to compare with");
    }

    /**
     * A parallel build waits for a CPU five times a second all day, more often than an episode
     * remembers over the default rule's 5-minute baseline: when it waits twice as often, that is
     * not starvation. Its usual level is the rate over the part of the baseline still remembered;
     * counting the remembered waits over the whole baseline made it a tenth of the real one.
     */
    @Test
    void aWorkloadThatAlwaysWaitsOftenIsNotStarvedWhenItWaitsTwiceAsOften() throws Exception {
        Episode build = new Episode("cpu_starvation", "", T0 + 1);
        Pattern starvation = new CpuStarvationPattern(CpuStarvationPattern.DEFAULT);
        assertNull(every(200, 0, 600_000, build, starvation), "5 waits a second for 10 minutes");
        assertNull(every(100, 600_000, 720_000, build, starvation), "then 10 a second");
    }

    /** The same busy workload starved in earnest: ten times its usual rate opens, as a quiet one's would. */
    @Test
    void aWorkloadThatAlwaysWaitsOftenIsStarvedAtTenTimesItsRate() throws Exception {
        Episode build = new Episode("cpu_starvation", "", T0 + 1);
        Pattern starvation = new CpuStarvationPattern(CpuStarvationPattern.DEFAULT);
        assertNull(every(500, 0, 600_000, build, starvation), "2 waits a second for 10 minutes");
        assertEquals(Finding.Status.OPEN, every(50, 600_000, 630_000, build, starvation), "then 20 a second");
    }

    /** An occurrence every {@code step} ms from {@code from} until {@code to}: the first report, or null. */
    private static Finding.Status every(long step, long from, long to, Episode episode, Pattern pattern)
            throws Exception {
        for (long t = from; t < to; t += step) {
            Finding.Status status = observe(episode, pattern, t);
            if (status != null) {
                return status;
            }
        }
        return null;
    }
}
