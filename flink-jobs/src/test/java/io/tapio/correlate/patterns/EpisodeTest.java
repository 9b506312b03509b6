package io.tapio.correlate.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.Exit;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.model.Finding;
import io.tapio.model.Workload;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rules that turn occurrences into an episode, and end it. */
class EpisodeTest {
    private static final Workload WORKLOAD =
            Workload.host(new Workload.Cgroup("node-1", 42, "/system.slice/app.service"));
    private static final KernelEvent SEEN =
            KernelEvent.of(new EventSubject(1, 0, 1, 1, 42, "app"), new Exit(1, 1, 0, false, 1_000_000, 4096));
    private static final long SECOND = 1_000;

    private final Pattern refused =
            new DependencyUnreachablePattern(Rule.count(3, Duration.ofMinutes(1), Duration.ofMinutes(2)));

    private Finding.Status observe(Episode episode, Pattern pattern, Role role, long at) {
        return episode.observe(pattern, role, at, WORKLOAD, SEEN);
    }

    @Test
    void opensOnTheNthOccurrenceWithinTheWindowOnly() {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        assertNull(observe(episode, refused, Role.OCCURRENCE, 0));
        assertNull(observe(episode, refused, Role.OCCURRENCE, 70 * SECOND)); // the first is out of the window
        assertNull(observe(episode, refused, Role.OCCURRENCE, 80 * SECOND));
        assertEquals(Finding.Status.OPEN, observe(episode, refused, Role.OCCURRENCE, 90 * SECOND));
        assertEquals(3, episode.count());
        assertEquals(70 * SECOND, episode.firstSeen());
    }

    @Test
    void reportsUpdatesOnlyWhenTheCountDoublesOrAMinutePasses() {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        for (long t = 0; t < 3; t++) {
            observe(episode, refused, Role.OCCURRENCE, t * SECOND);
        }
        assertNull(observe(episode, refused, Role.OCCURRENCE, 3 * SECOND)); // 4
        assertNull(observe(episode, refused, Role.OCCURRENCE, 4 * SECOND)); // 5
        assertEquals(Finding.Status.UPDATE, observe(episode, refused, Role.OCCURRENCE, 5 * SECOND)); // 6: doubled
        assertNull(observe(episode, refused, Role.OCCURRENCE, 6 * SECOND));
        assertEquals(Finding.Status.UPDATE, observe(episode, refused, Role.OCCURRENCE, 70 * SECOND)); // a minute on
    }

    @Test
    void endsAfterTheQuietPeriodAndIsForgottenWhenTooOldToMatter() {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        for (long t = 0; t < 3; t++) {
            observe(episode, refused, Role.OCCURRENCE, t * SECOND);
        }
        assertFalse(episode.over(refused, 2 * SECOND + 119 * SECOND));
        assertTrue(episode.over(refused, 2 * SECOND + 120 * SECOND));

        Episode unopened = new Episode("dependency_unreachable", "10.0.0.8:80", 0);
        observe(unopened, refused, Role.OCCURRENCE, 0);
        assertFalse(unopened.forgettable(refused, 59 * SECOND));
        assertTrue(unopened.forgettable(refused, 60 * SECOND));
    }

    @Test
    void aLoopNeedsRestartsBetweenItsFailures() {
        Pattern crashLoop = new CrashLoopPattern(CrashLoopPattern.DEFAULT);
        Episode noRestarts = new Episode("crash_loop", "app", 0);
        observe(noRestarts, crashLoop, Role.OCCURRENCE, 0);
        observe(noRestarts, crashLoop, Role.OCCURRENCE, SECOND);
        assertNull(observe(noRestarts, crashLoop, Role.OCCURRENCE, 2 * SECOND), "three failures, no restart");

        Episode looping = new Episode("crash_loop", "app", 0);
        observe(looping, crashLoop, Role.OCCURRENCE, 0);
        observe(looping, crashLoop, Role.RESTART, SECOND);
        observe(looping, crashLoop, Role.OCCURRENCE, 2 * SECOND);
        observe(looping, crashLoop, Role.RESTART, 3 * SECOND);
        assertEquals(Finding.Status.OPEN, observe(looping, crashLoop, Role.OCCURRENCE, 4 * SECOND));
    }

    @Test
    void evidenceReadsAsTextWhenReported() {
        Episode episode = new Episode("dependency_unreachable", "10.0.0.7:5432", 0);
        observe(episode, refused, Role.OCCURRENCE, 5 * SECOND);

        Finding.Evidence evidence = episode.evidence().getFirst();
        assertEquals(5 * SECOND, evidence.epochMillis());
        assertEquals("app", evidence.comm());
        assertTrue(evidence.description().startsWith("exited with status 1"), evidence.description());
    }

    @Test
    void aToolThatRunsOftenAndSometimesFailsIsNoLoop() {
        Pattern crashLoop = new CrashLoopPattern(CrashLoopPattern.DEFAULT);
        Episode grep = new Episode("crash_loop", "grep", 0);
        Finding.Status status = null;
        // 20 runs, one in four fails: three failures, nineteen restarts.
        for (int run = 0; run < 20 && status == null; run++) {
            observe(grep, crashLoop, Role.RESTART, run * SECOND);
            if (run % 4 == 3) {
                status = observe(grep, crashLoop, Role.OCCURRENCE, run * SECOND + 500);
            }
        }
        assertNull(status);
    }

    @Test
    void aBaselinePatternNeedsHistoryAndARateFarOverIt() {
        Pattern starvation = new CpuStarvationPattern(
                Rule.count(10, Duration.ofSeconds(10), Duration.ofMinutes(1)).overBaseline(5, 6));
        Episode episode = new Episode("cpu_starvation", "", 0);
        // 60 s of history at 4 waits per 10 s: the usual level.
        for (long t = 0; t < 60; t += 2) {
            if (t % 10 < 8) {
                assertNull(observe(episode, starvation, Role.OCCURRENCE, t * SECOND));
            }
        }
        // 10 waits in 10 s: over the count, but not 5 times the usual level.
        for (long t = 60; t < 70; t++) {
            assertNull(observe(episode, starvation, Role.OCCURRENCE, t * SECOND));
        }
        // 30 in the next 10 s: far over it.
        Finding.Status status = null;
        for (long t = 70_000; t < 80_000 && status == null; t += 333) {
            status = observe(episode, starvation, Role.OCCURRENCE, t);
        }
        assertEquals(Finding.Status.OPEN, status);
    }

    /**
     * A workload watched long enough with no slow wait at all has a usual level of zero: its
     * first burst is starvation, without waiting for a history of slow waits it never had.
     */
    @Test
    void aWorkloadWatchedLongEnoughWithoutOccurrencesHasAUsualLevelOfZero() {
        Pattern starvation = new CpuStarvationPattern(
                Rule.count(10, Duration.ofSeconds(10), Duration.ofMinutes(1)).overBaseline(5, 6));
        Episode watched = new Episode("cpu_starvation", "", 1);
        Episode unknown = new Episode("cpu_starvation", "", 0);
        Finding.Status watchedStatus = null;
        Finding.Status unknownStatus = null;
        for (long t = 100_000; t < 110_000; t += 500) {
            watchedStatus = watchedStatus != null ? watchedStatus : observe(watched, starvation, Role.OCCURRENCE, t);
            unknownStatus = unknownStatus != null ? unknownStatus : observe(unknown, starvation, Role.OCCURRENCE, t);
        }
        assertEquals(Finding.Status.OPEN, watchedStatus, "watched since t=1 ms: 100 s of history");
        assertNull(unknownStatus, "first seen in the burst: no history to compare with");
    }
}
