package io.tapio.bench.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventHeader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The micro-benchmarks are found by name, and one of them runs through the same code as
 * {@code tapio bench micro} and reports both of its figures. The suite compiles and checks
 * them; it does not measure with them (a single short iteration in the test's JVM).
 */
class MicroBenchmarksTest {
    @Test
    void everyStageOfTheEventsPathHasABenchmark() {
        List<String> all = MicroBenchmarks.list(".*");
        for (String stage : List.of(
                "DecodeBenchmark.record",
                "DecodeBenchmark.payload",
                "EnrichBenchmark.filterAndEnrich",
                "CorrelateBenchmark.correlate",
                "RollupsBenchmark.rollups",
                "ExchangeBenchmark.enrichedEventOut",
                "ExchangeBenchmark.enrichedEventIn",
                "AgentBatchBenchmark.read",
                "CaptureBenchmark.read")) {
            assertTrue(all.contains(stage), stage + " in " + all);
        }
        assertEquals(List.of("CorrelateBenchmark.correlate"), MicroBenchmarks.list("correlate"));
    }

    @Test
    @Timeout(60)
    void aBenchmarkReportsNanosecondsAndBytesAllocatedPerEvent() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<MicroBenchmarks.Measured> results = MicroBenchmarks.run(
                new MicroBenchmarks.Options("DecodeBenchmark.record", 0, 0, 1, Duration.ofMillis(300)),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertEquals(1, results.size(), progress.toString(StandardCharsets.UTF_8));
        MicroBenchmarks.Measured record = results.getFirst();
        assertEquals("DecodeBenchmark.record", record.benchmark());
        assertTrue(record.nanosPerEvent() > 0, "ns per event: " + record);
        // Copying a record out of the ring allocates at least its bytes.
        assertTrue(record.bytesPerEvent() > EventHeader.SIZE, "bytes per event: " + record);
    }
}
