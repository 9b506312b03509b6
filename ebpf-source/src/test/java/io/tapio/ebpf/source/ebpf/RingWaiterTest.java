package io.tapio.ebpf.source.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.collector.PathRule;
import io.tapio.ebpf.ring.RingBufferReader;
import io.tapio.testing.Commands;
import io.tapio.testing.FailedOpenLoad;
import io.tapio.testing.SchedulerSlices;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The eBPF source's waiter with the real programs: it sleeps until the kernel wakes it with a
 * record, never on a timer. Each waiter here would otherwise sleep far longer than any test
 * waits, so a future that completes was completed by a wakeup.
 */
class RingWaiterTest {
    private static final Duration LONGER_THAN_THE_TEST = Duration.ofMinutes(10);
    private static final CollectorConfig EXECS_AND_EXITS = CollectorConfig.builder()
            .enabledTypes(List.of(EventType.EXEC, EventType.EXIT))
            .build();

    @Test
    void aSleepingWaiterIsWokenByTheKernelWithTheNextRecord() throws Exception {
        try (KernelCollector collector = KernelCollector.open(EXECS_AND_EXITS);
                RingWaiter waiter = new RingWaiter(
                        collector.reader(),
                        LONGER_THAN_THE_TEST,
                        Coalescing.DEFAULT,
                        Duration.ZERO,
                        "test-ring-waiter")) {
            CompletableFuture<Void> available = heldWait(collector.reader(), waiter);

            Commands.check("/bin/true");

            available.get(60, TimeUnit.SECONDS);
            assertTrue(collector.reader().pendingBytes() > 0, "the ring holds the record that woke the waiter");
        }
    }

    @Test
    void theWaitersThreadRunsInTheSchedulerSliceItWasGiven() throws Exception {
        OptionalLong before = SchedulerSlices.ofCallingThread();
        try (KernelCollector collector = KernelCollector.open(EXECS_AND_EXITS);
                RingWaiter waiter = new RingWaiter(
                        collector.reader(),
                        LONGER_THAN_THE_TEST,
                        Coalescing.DEFAULT,
                        Duration.ofNanos(200_000),
                        "test-sliced")) {
            waiter.available();
            OptionalLong slice = SchedulerSlices.ofThread("test-sliced");
            // The thread asks as it starts, and may not have started yet (no such thread: empty).
            for (int tries = 0; tries < 50 && (slice.isEmpty() || slice.equals(before)); tries++) {
                Thread.sleep(100);
                slice = SchedulerSlices.ofThread("test-sliced");
            }
            if (SchedulerSlices.kernelTakesSlices()) {
                assertEquals(OptionalLong.of(200_000), slice);
            } else {
                assertEquals(before, slice, "a kernel before 6.12 keeps its own slice");
            }
        }
    }

    /**
     * A wait the waiter still holds when asked again 200 ms later: Flink's source operator asks
     * at each look at its inputs, and with nothing read since, the waiter's sleep still holds, so
     * it must hand back the same future, with no new one chained to it. Another process's exec or
     * exit on the machine (the collector sees them all) ends a wait early; the next is tried then.
     */
    private static CompletableFuture<Void> heldWait(RingBufferReader reader, RingWaiter waiter) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            while (reader.drain((ring, offset, length) -> {}, Integer.MAX_VALUE) > 0) {
                // what the machine did before
            }
            CompletableFuture<Void> available = waiter.available();
            Thread.sleep(200); // the waiter is asleep in epoll
            CompletableFuture<Void> again = waiter.available();
            if (again == available) {
                return available;
            }
            assertTrue(reader.pendingBytes() > 0, "asked again with nothing read, the waiter made a new wait");
        }
        return fail("the machine never went 200 ms without an exec or an exit");
    }

    /**
     * The task may read the record whose wakeup was meant for the waiter: on a busy machine the
     * woken waiter is not scheduled at once, and the task, polling meanwhile, takes the record
     * first (here: this thread spins on the ring while another thread makes the failed open).
     * The waiter must not go on sleeping with nobody asked to wake it: the next record wakes it.
     */
    @Test
    void aWakeupWhoseRecordTheTaskReadFirstIsNotLost() throws Exception {
        int rounds = 20;
        try (FailedOpenLoad opens = new FailedOpenLoad();
                KernelCollector collector = KernelCollector.open(failuresOf(opens));
                RingWaiter waiter = new RingWaiter(
                        collector.reader(),
                        LONGER_THAN_THE_TEST,
                        Coalescing.DEFAULT,
                        Duration.ZERO,
                        "test-ring-waiter")) {
            RingBufferReader reader = collector.reader();
            for (int round = 0; round < rounds; round++) {
                waiter.available();
                Thread.sleep(20); // the waiter is asleep in epoll, its wakeup asked for

                CompletableFuture<Void> opened = CompletableFuture.runAsync(() -> opens.run(1));
                int taken = 0;
                while (taken == 0 && !opened.isDone()) {
                    taken = reader.drain((ring, offset, length) -> {}, Integer.MAX_VALUE);
                }
                opened.get(60, TimeUnit.SECONDS);
                taken += reader.drain((ring, offset, length) -> {}, Integer.MAX_VALUE);
                assertEquals(1, taken, "the task read the waking record");

                CompletableFuture<Void> next = waiter.available();
                opens.run(1);
                next.get(60, TimeUnit.SECONDS);
                assertEquals(1, reader.drain((ring, offset, length) -> {}, Integer.MAX_VALUE));
            }
            assertEquals(0, waiter.lateWakeups(), "no sleep ended at its timeout");
        }
    }

    /**
     * On a busy ring the waiter lets records gather instead of handing the ring over with the
     * first one. Every ring counts as busy here (a threshold of 0), and the delay is far longer
     * than the opens take: the ten failed opens made while the waiter waits are handed over
     * together, once the delay has passed, and no kernel wakeup ended the wait.
     */
    @Test
    void aBusyRingIsHandedOverOnceItsRecordsGathered() throws Exception {
        try (BusyRing busy = BusyRing.gatheringFor(Duration.ofSeconds(5))) {
            CompletableFuture<Void> available = busy.waiter().available();

            busy.opens().run(10);
            Thread.sleep(500); // a kernel wakeup would have ended the wait by now

            assertFalse(available.isDone(), "the first records do not end the wait");
            available.get(60, TimeUnit.SECONDS);
            assertEquals(10, busy.drain(), "handed over together");
            assertEquals(1, busy.waiter().coalescedWaits());
        }
    }

    /**
     * Flink looks at the reader's availability twice when the ring is empty, and a record can
     * come between the looks: the task then reads it and asks again while the waiter gathers for
     * the first future. The records that came in the meantime are handed over when that gather
     * ends, not after a second one.
     */
    @Test
    void aFutureAskedAgainDuringAGatherIsCompletedWhenTheGatherEnds() throws Exception {
        try (BusyRing busy = BusyRing.gatheringFor(Duration.ofSeconds(2))) {
            CompletableFuture<Void> first = busy.waiter().available();
            busy.opens().run(1);
            assertEquals(1, busy.drain(), "the task read it");
            CompletableFuture<Void> second = busy.waiter().available();
            busy.opens().run(1);

            second.get(60, TimeUnit.SECONDS);

            assertTrue(first.isDone(), "the first future is completed with the one that replaced it");
            assertEquals(1, busy.drain());
            assertEquals(1, busy.waiter().coalescedWaits(), "one gather, not a second for the future asked again");
        }
    }

    /**
     * A waiter on a ring of the failed opens of {@code opens} only, for which every ring is busy
     * (a threshold of 0): it gathers for its delay at every wait.
     */
    private record BusyRing(FailedOpenLoad opens, KernelCollector collector, RingWaiter waiter)
            implements AutoCloseable {
        static BusyRing gatheringFor(Duration delay) {
            FailedOpenLoad opens = new FailedOpenLoad();
            KernelCollector collector = null;
            try {
                collector = KernelCollector.open(failuresOf(opens));
                RingWaiter waiter = new RingWaiter(
                        collector.reader(), LONGER_THAN_THE_TEST, new Coalescing(delay, 0), Duration.ZERO, "test");
                return new BusyRing(opens, collector, waiter);
            } catch (RuntimeException e) {
                if (collector != null) {
                    collector.close();
                }
                opens.close();
                throw e;
            }
        }

        /** Reads what the ring holds, as the task would. */
        int drain() {
            return collector.reader().drain((ring, offset, length) -> {}, Integer.MAX_VALUE);
        }

        @Override
        public void close() throws InterruptedException {
            waiter.close();
            collector.close();
            opens.close();
        }
    }

    /** The failed opens of {@code opens} only. */
    private static CollectorConfig failuresOf(FailedOpenLoad opens) {
        return CollectorConfig.builder()
                .enabledTypes(List.of(EventType.OPEN_FAILED))
                .pathRules(List.of(PathRule.report(opens.pathPrefix())))
                .reportUnmatchedOpens(false)
                .build();
    }

    @Test
    void closingAWaiterEndsItsSleepAtOnce() throws Exception {
        CollectorConfig oomKillsOnly = CollectorConfig.builder()
                .enabledTypes(List.of(EventType.OOM_KILL))
                .build();
        try (KernelCollector collector = KernelCollector.open(oomKillsOnly)) {
            RingWaiter waiter = new RingWaiter(
                    collector.reader(), LONGER_THAN_THE_TEST, Coalescing.DEFAULT, Duration.ZERO, "test-ring-waiter");
            CompletableFuture<Void> available = waiter.available();
            Thread.sleep(200);

            CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
                try {
                    waiter.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            closed.get(60, TimeUnit.SECONDS);
            assertTrue(available.isDone(), "a reader waiting for data is released when its waiter closes");
        }
    }
}
