package io.tapio.correlate.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The binary-searched occurrences answer as a plain scan of the same times would. */
class OccurrencesTest {
    @Test
    void answersAsAScanOfTheSameTimesAfterEveryChange() {
        Random random = new Random(42);
        Occurrences occurrences = new Occurrences();
        List<Long> scanned = new ArrayList<>();
        long now = 1_000_000;
        for (int step = 0; step < 20_000; step++) {
            now += random.nextInt(50);
            long at = random.nextInt(10) == 0 ? now - random.nextInt(2_000) : now; // some come late
            occurrences.add(at);
            scanned.add(at);
            scanned.sort(null);
            long memory = 5_000;
            int max = 64;
            occurrences.forget(occurrences.newest() - memory, max);
            long newest = scanned.getLast();
            while (scanned.size() > max || scanned.getFirst() <= newest - memory) {
                scanned.removeFirst();
            }

            long from = now - random.nextInt(6_000);
            long to = from + random.nextInt(6_000);
            assertEquals(scanned.size(), occurrences.size());
            assertEquals(
                    scanned.stream().filter(t -> t > from && t <= to).count(),
                    occurrences.countWithin(from, to),
                    "count in (" + from + ", " + to + "]");
            assertEquals(
                    scanned.stream().filter(t -> t > from).findFirst().orElse(Long.MAX_VALUE),
                    occurrences.oldestAfter(from));
            long probe = now - random.nextInt(3_000);
            long spacing = random.nextInt(100);
            assertEquals(
                    scanned.stream().anyMatch(t -> Math.abs(probe - t) < spacing),
                    occurrences.anyCloserThan(probe, spacing));
            assertEquals(
                    scanned.size() < 2 ? 0 : scanned.getLast() - scanned.get(scanned.size() - 2),
                    occurrences.latestGap());
        }
    }
}
