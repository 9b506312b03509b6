package io.tapio.bench.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.enrich.UnifiedHierarchy;
import io.tapio.testing.KubeletPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code tapio bench enrich} on real pod cgroups and the real BPF programs: what it reports is
 * what happened, and it leaves no cgroup behind. (Its timings are printed by the bench, not
 * asserted here.)
 */
class EnrichmentBenchmarkTest {
    @Test
    void everyEventOfEveryPodIsNamedAndNothingIsLeftBehind() throws IOException {
        List<String> progress = new ArrayList<>();
        EnrichmentBenchmark.Result result =
                EnrichmentBenchmark.run(new EnrichmentBenchmark.Options(20, 1), progress::add);

        assertEquals(40, result.podEvents(), "the exec of /bin/true and its exit, in each of 20 pods");
        assertEquals(result.podEvents(), result.podEventsNamed(), "100% of the pods' events carry their pod");
        assertTrue(result.events() >= result.podEvents());
        assertTrue(
                result.hitRatio() > 0 && result.hitRatio() < 1,
                "each pod's first event is a miss, its second a hit: " + result.hitRatio());
        assertEquals(2, progress.size(), progress.toString());

        Path root = UnifiedHierarchy.find().orElseThrow();
        try (Stream<Path> left = Files.list(root)) {
            assertEquals(
                    List.of(),
                    left.filter(p -> p.getFileName().toString().startsWith(KubeletPaths.PREFIX))
                            .toList(),
                    "the pods' cgroups are removed");
        }
    }

    @Test
    void aBenchOfNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EnrichmentBenchmark.Options(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new EnrichmentBenchmark.Options(10, 0));
    }
}
