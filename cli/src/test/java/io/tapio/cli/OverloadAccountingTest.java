package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.PathRule;
import io.tapio.job.SourceSpec;
import io.tapio.local.LocalTapio;
import io.tapio.local.RunOptions;
import io.tapio.testing.FailedOpenLoad;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole local job slower than the kernel: the real BPF programs with a ring of 64 KiB (room
 * for a few hundred failed opens), and a failed-open load as fast as two threads go on this
 * 2-vCPU machine, which leaves the job too little CPU to keep up; then a light load. No hook
 * slows the job: the load takes the CPUs it would need. Only failed opens under the load's own
 * path are reported (every other failed open of the machine is filtered in the kernel), so
 * what {@code tapio check --json} reports must add up exactly: every open the load made was
 * delivered through the whole job or counted as lost in the ring, and once the load falls
 * nothing more is lost.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class OverloadAccountingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PHASE = Duration.ofSeconds(5);
    private static final long LIGHT_LOAD_PER_SECOND = 2_000;

    @TempDir
    Path dir;

    /** What the load made and what check --json reports, at one moment. */
    private record Counts(long opens, long delivered, long lost, long ringFullDrops, long processed) {
        static Counts of(long opens, JsonNode status) {
            return new Counts(
                    opens,
                    status.at("/kernel/delivered").asLong(),
                    status.at("/kernel/lost").asLong(),
                    status.at("/drops/ring_full").asLong(),
                    status.get("eventsProcessed").asLong());
        }

        Counts since(Counts start) {
            return new Counts(
                    opens - start.opens,
                    delivered - start.delivered,
                    lost - start.lost,
                    ringFullDrops - start.ringFullDrops,
                    processed - start.processed);
        }

        /** Every open delivered through the job or counted as lost, and the two counts of the loss agree. */
        boolean balanced() {
            return opens == delivered + lost && processed == delivered && ringFullDrops == lost;
        }
    }

    @Test
    void everyOpenIsDeliveredThroughTheJobOrCountedAsLostAndTheLossStopsWhenTheLoadFalls() throws Exception {
        try (FailedOpenLoad load = new FailedOpenLoad();
                LocalTapio tapio = LocalTapio.start(options(load))) {
            Counts start = awaitWatching(tapio, load);

            load.start(2);
            JsonNode overflowing = awaitOverflowProblem(tapio);
            load.stop();
            Counts overload = awaitBalanced(tapio, load, start);
            assertTrue(overload.lost() > 0, "the job did not keep up and the ring overflowed: " + overload);
            assertTrue(overload.delivered() > 0, overload.toString());
            assertTrue(overflowing.toString().contains("the kernel dropped"), overflowing.toString());

            load.start(1, LIGHT_LOAD_PER_SECOND);
            Thread.sleep(PHASE);
            load.stop();
            Counts total = awaitBalanced(tapio, load, start);
            Counts light = total.since(overload);
            assertEquals(0, light.lost(), "nothing is lost once the load falls: " + light);
            assertTrue(light.opens() > 0 && light.delivered() == light.opens(), light.toString());

            JsonNode last = check();
            assertEquals(total, Counts.of(load.calls(), last).since(start), "what check --json reports: " + last);
        }
    }

    private RunOptions options(FailedOpenLoad load) {
        CollectorConfig collector = CollectorConfig.builder()
                .ringBufferBytes(64 << 10)
                .enabledTypes(List.of(EventType.OPEN_FAILED))
                .pathRules(List.of(PathRule.report(load.pathPrefix())))
                .reportUnmatchedOpens(false)
                .build();
        return RunOptions.unattended(new SourceSpec.Ebpf(collector), dir.resolve("data"));
    }

    /**
     * Opens one at a time until the job has delivered one (the programs are attached), then
     * the counts to measure from, once what is in flight has arrived.
     */
    private Counts awaitWatching(LocalTapio tapio, FailedOpenLoad load) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (check().at("/kernel/delivered").asLong() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the job never delivered a failed open: " + check());
            }
            load.run(1);
            tapio.refresh();
            Thread.sleep(100);
        }
        Counts previous = null;
        while (true) {
            Thread.sleep(1_500);
            tapio.refresh();
            Counts now = Counts.of(load.calls(), check());
            if (now.equals(previous) && now.processed() == now.delivered()) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the counts never settled: " + now);
            }
            previous = now;
        }
    }

    /**
     * The overflow as {@code tapio check} names it while the load runs (a refresh a second, as
     * {@code tapio run} does), after a phase of load at least.
     */
    private JsonNode awaitOverflowProblem(LocalTapio tapio) throws Exception {
        long phaseEnd = System.nanoTime() + PHASE.toNanos();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode seen = null;
        while (seen == null || System.nanoTime() < phaseEnd) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("check never named a ring-buffer overflow: " + check());
            }
            Thread.sleep(1_000);
            tapio.refresh();
            for (JsonNode problem : check().at("/health/problems")) {
                if (problem.get("symptom").asText().startsWith("ring-buffer overflow")) {
                    seen = problem;
                }
            }
        }
        return seen;
    }

    /** The counts since {@code start}, once they balance; fails with the last ones when they never do. */
    private Counts awaitBalanced(LocalTapio tapio, FailedOpenLoad load, Counts start) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Counts counts;
        do {
            Thread.sleep(500);
            tapio.refresh();
            counts = Counts.of(load.calls(), check()).since(start);
            if (counts.balanced()) {
                return counts;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("opens = delivered + lost and delivered = processed never held: " + counts);
    }

    /** {@code tapio check --json}, as a user runs it, against this run. */
    private JsonNode check() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        cli.execute("check", "--json", "--data-dir", dir.resolve("data").toString());
        return JSON.readTree(out.toString());
    }
}
