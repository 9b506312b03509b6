package io.tapio.ebpf.source.ebpf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.testing.Commands;
import java.time.Duration;
import java.util.List;
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

    @Test
    void aSleepingWaiterIsWokenByTheKernelWithTheNextRecord() throws Exception {
        CollectorConfig execsAndExits = CollectorConfig.builder()
                .enabledTypes(List.of(EventType.EXEC, EventType.EXIT))
                .build();
        try (KernelCollector collector = KernelCollector.open(execsAndExits);
                RingWaiter waiter = new RingWaiter(collector.reader(), LONGER_THAN_THE_TEST, "test-ring-waiter")) {
            while (collector.reader().drain((ring, offset, length) -> {}, Integer.MAX_VALUE) > 0) {
                // what the machine did before
            }
            CompletableFuture<Void> available = waiter.available();
            Thread.sleep(200); // the waiter is asleep in epoll

            Commands.check("/bin/true");

            available.get(60, TimeUnit.SECONDS);
            assertTrue(collector.reader().pendingBytes() > 0, "the ring holds the record that woke the waiter");
        }
    }

    @Test
    void closingAWaiterEndsItsSleepAtOnce() throws Exception {
        CollectorConfig oomKillsOnly = CollectorConfig.builder()
                .enabledTypes(List.of(EventType.OOM_KILL))
                .build();
        try (KernelCollector collector = KernelCollector.open(oomKillsOnly)) {
            RingWaiter waiter = new RingWaiter(collector.reader(), LONGER_THAN_THE_TEST, "test-ring-waiter");
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
