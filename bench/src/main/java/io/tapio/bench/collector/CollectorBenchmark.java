package io.tapio.bench.collector;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.Reason;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.collector.KernelStats;
import io.tapio.ebpf.collector.PathRule;
import io.tapio.testing.FailedOpenLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Throughput of the kernel collector on this machine: a syscall load generator against the
 * real programs, read by Tapio's mapped reader and by libbpf's callback consumer, in
 * alternating rounds of the same run.
 *
 * <ul>
 *   <li>sustained: the load runs while a consumer reads; events/s delivered, drops, and
 *       whether every failed open was delivered or counted as lost, exactly;
 *   <li>drain: the ring is filled while nobody reads, then read to the end; records/s.
 * </ul>
 */
public final class CollectorBenchmark {
    /** Each failed-open record's footprint in the ring: the record and its 8-byte header. */
    private static final int RECORD_FOOTPRINT = EventType.OPEN_FAILED.size() + 8;

    /**
     * @param round how long the load runs per sustained round
     * @param rounds rounds per consumer
     * @param loadThreads threads making failed opens
     * @param ringBufferBytes the ring's size for the sustained rounds
     * @param drainRingBufferBytes the ring's size for the drain rounds, filled to 90%
     */
    public record Options(Duration round, int rounds, int loadThreads, int ringBufferBytes, int drainRingBufferBytes) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(5), 3, 1, 16 << 20, 256 << 20);
        }
    }

    /**
     * One sustained round.
     *
     * @param opens failed opens the load made
     * @param delivered of those, records submitted to the ring
     * @param lost of those, records the kernel counted as lost (ring full)
     * @param read failed-open records the consumer read
     */
    public record SustainedRound(
            RingConsumer consumer, double seconds, long opens, long delivered, long lost, long read) {
        public double eventsPerSecond() {
            return delivered / seconds;
        }

        /** Opens neither delivered nor counted as lost, plus records delivered but not read: 0. */
        public long unaccounted() {
            return Math.abs(opens - delivered - lost) + Math.abs(delivered - read);
        }
    }

    /** One drain round: {@code records} read from a full ring in {@code seconds}. */
    public record DrainRound(RingConsumer consumer, double seconds, long records) {
        public double recordsPerSecond() {
            return records / seconds;
        }
    }

    private CollectorBenchmark() {}

    public static List<SustainedRound> sustained(Options options, Consumer<String> progress) {
        List<SustainedRound> rounds = new ArrayList<>();
        try (FailedOpenLoad load = new FailedOpenLoad();
                KernelCollector collector = KernelCollector.open(config(options.ringBufferBytes(), load))) {
            for (RingConsumer consumer : RingConsumer.values()) {
                progress.accept("warming up " + consumer.label());
                sustainedRound(collector, load, consumer, Duration.ofSeconds(1), options.loadThreads());
            }
            for (int r = 0; r < options.rounds(); r++) {
                for (RingConsumer consumer : order(r)) {
                    SustainedRound round =
                            sustainedRound(collector, load, consumer, options.round(), options.loadThreads());
                    progress.accept(String.format(
                            "round %d/%d %-16s %,12.0f events/s  lost %,d  unaccounted %d",
                            r + 1,
                            options.rounds(),
                            consumer.label(),
                            round.eventsPerSecond(),
                            round.lost(),
                            round.unaccounted()));
                    rounds.add(round);
                }
            }
        }
        return rounds;
    }

    public static List<DrainRound> drain(Options options, Consumer<String> progress) {
        List<DrainRound> rounds = new ArrayList<>();
        long fill = (long) (options.drainRingBufferBytes() * 0.9) / RECORD_FOOTPRINT;
        try (FailedOpenLoad load = new FailedOpenLoad();
                KernelCollector collector = KernelCollector.open(config(options.drainRingBufferBytes(), load))) {
            for (RingConsumer consumer : RingConsumer.values()) {
                progress.accept("warming up " + consumer.label());
                drainRound(collector, load, consumer, fill / 10);
            }
            for (int r = 0; r < options.rounds(); r++) {
                for (RingConsumer consumer : order(r)) {
                    DrainRound round = drainRound(collector, load, consumer, fill);
                    progress.accept(String.format(
                            "round %d/%d %-16s %,12.0f records/s  (%,d records)",
                            r + 1, options.rounds(), consumer.label(), round.recordsPerSecond(), round.records()));
                    rounds.add(round);
                }
            }
        }
        return rounds;
    }

    /** Alternates which consumer goes first, so that neither always follows the other. */
    private static List<RingConsumer> order(int round) {
        List<RingConsumer> order = new ArrayList<>(List.of(RingConsumer.values()));
        if (round % 2 == 1) {
            order = order.reversed();
        }
        return order;
    }

    /** Every type on, as in production; of the failed opens, only the load's are reported. */
    private static CollectorConfig config(int ringBufferBytes, FailedOpenLoad load) {
        return CollectorConfig.builder()
                .ringBufferBytes(ringBufferBytes)
                .pathRules(List.of(PathRule.report(load.pathPrefix())))
                .reportUnmatchedOpens(false)
                .build();
    }

    private static SustainedRound sustainedRound(
            KernelCollector collector, FailedOpenLoad load, RingConsumer consumer, Duration duration, int threads) {
        try (RingConsumer.Session session = consumer.open(collector)) {
            drainAll(session);
            long read0 = session.counter.failedOpens;
            long opens0 = load.calls();
            KernelStats before = collector.kernelStats();
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader = Thread.ofPlatform().name("tapio-bench-reader").start(() -> {
                while (reading.get()) {
                    session.poll(Duration.ofMillis(1));
                }
            });
            long start = System.nanoTime();
            load.start(threads);
            sleep(duration);
            load.stop();
            long elapsed = System.nanoTime() - start;
            reading.set(false);
            join(reader);
            drainAll(session);
            KernelStats delta = collector.kernelStats().since(before);
            return new SustainedRound(
                    consumer,
                    elapsed / 1e9,
                    load.calls() - opens0,
                    delta.emitted(EventType.OPEN_FAILED),
                    delta.count(EventType.OPEN_FAILED, Reason.RING_FULL),
                    session.counter.failedOpens - read0);
        }
    }

    private static DrainRound drainRound(
            KernelCollector collector, FailedOpenLoad load, RingConsumer consumer, long fill) {
        try (RingConsumer.Session session = consumer.open(collector)) {
            drainAll(session);
            load.run(fill);
            long records0 = session.counter.records;
            long start = System.nanoTime();
            drainAll(session);
            long elapsed = System.nanoTime() - start;
            return new DrainRound(consumer, elapsed / 1e9, session.counter.records - records0);
        }
    }

    private static void drainAll(RingConsumer.Session session) {
        while (session.drain() > 0) {
            // until the ring is empty
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
