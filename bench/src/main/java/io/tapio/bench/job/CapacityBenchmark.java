package io.tapio.bench.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.tapio.bench.Stats;
import io.tapio.bench.WorkDirectory;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.CaptureReader;
import io.tapio.ebpf.capture.CaptureWriter;
import io.tapio.ebpf.metrics.MetricNames;
import io.tapio.ebpf.synthetic.DemoFaults;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import io.tapio.job.SourceSpec;
import io.tapio.local.LocalTapio;
import io.tapio.local.RunOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the job itself can carry, apart from any load generator: the whole local job (decode,
 * filter, enrich, correlate, rollups, regressions) replays a capture as fast as it can take
 * it, and the rate and the process's CPU time are taken over the span in which events came
 * through. Without a capture of its own it makes one in the capture format from the synthetic
 * node (the default mix of types over many workloads, with every demo fault so that the
 * patterns find something).
 */
public final class CapacityBenchmark {
    /** How often the counters and the CPU time are read; the span is measured to this. */
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(100);

    /**
     * How much of the node's time a made capture spans, whatever its size: a minute, so that each
     * demo fault repeats and the rollups close a minute.
     */
    private static final long CAPTURE_SECONDS = 60;

    private static final int CAPTURE_WORKLOADS = 200;

    /**
     * @param capture a capture to replay; null to make one of {@code events} events
     * @param warmUpRounds runs of the whole job over the capture before those measured, not
     *     counted in the medians: the first run in a JVM is the JIT compiling the job's code (on
     *     the 2-vCPU VM, eleven runs' first rounds had a median of 634 k events/s, the 33 rounds
     *     after them 811 k)
     * @param rounds runs of the whole job over the capture, measured
     */
    public record Options(Path capture, long events, int warmUpRounds, int rounds) {
        public Options {
            if (warmUpRounds < 0 || rounds < 1) {
                throw new IllegalArgumentException("a capacity run needs at least one round measured and no fewer "
                        + "than none to warm up; asked for " + rounds + " and " + warmUpRounds);
            }
        }
    }

    /**
     * One run over the capture: events per second, CPU seconds per million events and heap
     * allocated per event, over the {@code events} that came through in the span measured;
     * {@code entered} counts every event that entered the job in the run.
     */
    public record Round(long entered, long events, double seconds, double cpuSeconds, long allocatedBytes) {
        public double eventsPerSecond() {
            return events / seconds;
        }

        public double cpuSecondsPerMillionEvents() {
            return cpuSeconds / events * 1e6;
        }

        public double bytesPerEvent() {
            return (double) allocatedBytes / events;
        }
    }

    /** The rounds measured, those that warmed up before them, and the capture they replayed. */
    public record Result(long captureEvents, List<Round> warmUp, List<Round> rounds) {
        /** Whether every round, warm-up ones included, took every event of the capture into the job. */
        public boolean everyEventEntered() {
            return Stream.concat(warmUp.stream(), rounds.stream()).allMatch(r -> r.entered() == captureEvents);
        }

        public double eventsPerSecond() {
            return Stats.median(rounds.stream().map(Round::eventsPerSecond).toList());
        }

        public double cpuSecondsPerMillionEvents() {
            return Stats.median(
                    rounds.stream().map(Round::cpuSecondsPerMillionEvents).toList());
        }

        public double bytesPerEvent() {
            return Stats.median(rounds.stream().map(Round::bytesPerEvent).toList());
        }
    }

    private CapacityBenchmark() {}

    public static Result run(Options options, Consumer<String> progress) throws Exception {
        try (WorkDirectory work = WorkDirectory.create("tapio-capacity")) {
            Path capture = options.capture();
            if (capture == null) {
                progress.accept(String.format("making a capture of %,d synthetic events", options.events()));
                capture = makeCapture(work.resolve("synthetic.tapiocap"), options.events());
            }
            long events = CaptureReader.verify(capture);
            List<Round> warmUp = rounds("warm-up round", options.warmUpRounds(), capture, work, progress);
            List<Round> rounds = rounds("round", options.rounds(), capture, work, progress);
            return new Result(events, warmUp, rounds);
        }
    }

    private static List<Round> rounds(
            String name, int count, Path capture, WorkDirectory work, Consumer<String> progress) throws Exception {
        List<Round> rounds = new ArrayList<>();
        for (int r = 1; r <= count; r++) {
            Round round = replay(capture, work.resolve(name.replace(' ', '-') + "-" + r));
            progress.accept(String.format(
                    "%s %d/%d: %,.0f events/s, %.2f CPU s per million events, %,.0f B per event",
                    name,
                    r,
                    count,
                    round.eventsPerSecond(),
                    round.cpuSecondsPerMillionEvents(),
                    round.bytesPerEvent()));
            rounds.add(round);
        }
        return rounds;
    }

    /** A capture of {@code events} events of the synthetic node, written as {@code tapio record} writes one. */
    static Path makeCapture(Path file, long events) throws IOException {
        SyntheticConfig.Builder config = SyntheticConfig.builder()
                .eventsPerSecond(Math.max(1, events / CAPTURE_SECONDS))
                .workloads(CAPTURE_WORKLOADS);
        DemoFaults.NAMES.forEach(name -> config.fault(DemoFaults.named(name)));
        long start = System.nanoTime();
        SyntheticEventGenerator generator = new SyntheticEventGenerator(config.build(), start);
        try (CaptureWriter writer =
                CaptureWriter.create(file, "capacity", System.currentTimeMillis() * 1_000_000L, start)) {
            long until = start;
            while (writer.recordsWritten() < events) {
                until += 10_000_000L; // 10 ms of the node's time at a time
                for (KernelEvent event : generator.next(until)) {
                    if (writer.recordsWritten() == events) {
                        break;
                    }
                    writer.write(event);
                }
            }
        }
        return file;
    }

    private static Round replay(Path capture, Path dataDir) throws Exception {
        long before = processed();
        long firstNanos = 0;
        ProcessUse firstUse = null;
        long firstCount = 0;
        long lastNanos = 0;
        ProcessUse lastUse = null;
        long lastCount = 0;
        long entered;
        try (LocalTapio tapio =
                LocalTapio.start(RunOptions.unattended(SourceSpec.Replay.asFastAsPossible(capture), dataDir))) {
            while (tapio.jobRunning()) {
                Thread.sleep(SAMPLE_EVERY);
                long count = processed() - before;
                long now = System.nanoTime();
                ProcessUse use = ProcessUse.now();
                if (count > 0 && firstNanos == 0) {
                    firstNanos = now;
                    firstUse = use;
                    firstCount = count;
                }
                if (count > lastCount) {
                    lastNanos = now;
                    lastUse = use;
                    lastCount = count;
                }
            }
            if (tapio.failureMessage() != null) {
                throw new IllegalStateException("the job failed: " + tapio.failureMessage());
            }
            // The job flushed its last counts as it finished; its metrics go when Tapio closes.
            entered = processed() - before;
        }
        if (lastNanos <= firstNanos) {
            throw new IllegalStateException(
                    "the capture went through in less than " + SAMPLE_EVERY.toMillis() + " ms: make it larger");
        }
        ProcessUse used = lastUse.since(firstUse);
        return new Round(
                entered,
                lastCount - firstCount,
                (lastNanos - firstNanos) / 1e9,
                used.cpuNanos() / 1e9,
                used.allocatedBytes());
    }

    /** Events that entered the job, in this JVM, since it started. */
    private static long processed() {
        return Math.round(Metrics.globalRegistry.find(MetricNames.EVENTS_PROCESSED).counters().stream()
                .mapToDouble(Counter::count)
                .sum());
    }
}
