package io.tapio.export;

import static io.tapio.export.Reports.pod;
import static io.tapio.export.Reports.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.model.Finding;
import io.tapio.model.Severity;
import org.junit.jupiter.api.Test;

/** What a person reads in kubectl: the reason, and a message that is plain text of bounded length. */
class PodEventsTest {
    @Test
    void theReasonIsTapioAndThePatternInUpperCamelCase() {
        assertEquals("TapioCrashLoop", PodEvents.reason("crash_loop"));
        assertEquals("TapioOomCrashLoop", PodEvents.reason("oom_crash_loop"));
        assertEquals("TapioDependencyUnreachable", PodEvents.reason("dependency_unreachable"));
    }

    @Test
    void kernelStringsInTheMessageArePlainTextAndItsLengthIsBounded() {
        Finding base = report("e", Finding.Status.OPEN, Severity.WARNING, pod("ns", "p", "u"), 3, 1_800_000_000_000L);
        String comm = "evil\n\u001b[31mred\u0007" + "x".repeat(5_000);
        Finding hostile = new Finding(
                base.episodeId(),
                base.status(),
                base.pattern(),
                base.severity(),
                base.workload(),
                base.subject(),
                base.firstSeenEpochMillis(),
                base.lastSeenEpochMillis(),
                base.count(),
                "process " + comm + " keeps failing",
                base.recommendation(),
                base.evidence(),
                base.detectedEpochMillis(),
                base.latencyNanos(),
                base.cause());
        String message = PodEvents.message(hostile);
        assertEquals(PodEvents.MESSAGE_CHARS, message.length());
        assertTrue(message.endsWith("…"), message);
        assertFalse(message.chars().anyMatch(Character::isISOControl), message);
        assertTrue(message.startsWith("process evil\\n\\x1b[31mred\\x07"), message);
    }

    @Test
    void anEventsNameFitsTheApisLimitAndIsTheSameForEveryReportOfAnEpisode() {
        String longName = "a".repeat(253);
        Finding open = report("ep", Finding.Status.OPEN, Severity.WARNING, pod("ns", longName, "u"), 3, 1L);
        Finding later = report("ep", Finding.Status.UPDATE, Severity.WARNING, pod("ns", longName, "u"), 9, 2L);
        assertEquals(253, PodEvents.name(open).length());
        assertEquals(PodEvents.name(open), PodEvents.name(later));
        assertFalse(PodEvents.name(open)
                .equals(PodEvents.name(
                        report("other", Finding.Status.OPEN, Severity.WARNING, pod("ns", longName, "u"), 3, 1L))));
    }
}
