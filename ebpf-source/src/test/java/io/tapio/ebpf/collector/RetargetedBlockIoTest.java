package io.tapio.ebpf.collector;

import static io.tapio.ebpf.testing.RecordingReader.eventOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.BlockIoLatency;
import io.tapio.ebpf.abi.BlockOp;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.testing.RecordingReader;
import io.tapio.testing.Commands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Block I/O on a kernel without block_io_start/block_io_done (before 6.5), as far as the
 * collector can tell: its programs attach to block_rq_issue/block_rq_complete of this kernel
 * and time real writes. A loop device has no I/O scheduler, so its requests are issued in the
 * writer's own context. Runs as root.
 */
class RetargetedBlockIoTest {
    private static final CollectorConfig CONFIG = CollectorConfig.builder()
            .ringBufferBytes(4 << 20)
            .enabledTypes(List.of(EventType.BLOCK_IO_LATENCY, EventType.EXIT))
            .blockThreshold(Duration.ZERO)
            .build();

    @Test
    void blockIoIsTimedFromTheRequestIssueAndTheLimitationIsReported() throws IOException {
        Path backing = Files.createTempFile(Path.of("/var/tmp"), "tapio-loop", ".img");
        String loop = null;
        try (RunningKernel kernel = new RunningKernel();
                KernelCollector collector = KernelCollector.open(
                        CONFIG,
                        KernelCollector.objectBytes(),
                        new KernelWithout(kernel, Set.of("block_io_start", "block_io_done")));
                RecordingReader events = new RecordingReader(collector.reader())) {
            assertEquals(Map.of(), collector.unavailable());
            assertEquals(
                    List.of(EventType.BLOCK_IO_LATENCY),
                    List.copyOf(collector.limitations().keySet()));
            assertTrue(
                    collector.limitations().get(EventType.BLOCK_IO_LATENCY).contains("block_rq_issue"),
                    collector.limitations().toString());

            try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "rw")) {
                file.setLength(8 << 20);
            }
            loop = Commands.check("/usr/sbin/losetup", "--find", "--show", backing.toString())
                    .strip();
            String device = Files.readString(Path.of("/sys/block", Path.of(loop).getFileName() + "/dev"))
                    .strip();
            Commands.Result dd =
                    Commands.run("/usr/bin/dd", "if=/dev/zero", "of=" + loop, "bs=4k", "count=4", "oflag=direct");
            assertEquals(0, dd.exitCode(), dd.output());

            // dd's exit is recorded after its writes completed: once it is here, they are too.
            events.await("exit of dd", eventOf(EventType.EXIT, dd.pid()));
            Predicate<KernelEvent> onTheLoop =
                    e -> e.payload(BlockIoLatency.class).deviceName().equals(device);
            List<BlockIoLatency> writes =
                    events
                            .matching(eventOf(EventType.BLOCK_IO_LATENCY, dd.pid())
                                    .and(onTheLoop))
                            .stream()
                            .map(e -> e.payload(BlockIoLatency.class))
                            .toList();
            assertEquals(4, writes.size(), "one event per request of dd: " + writes);
            for (BlockIoLatency write : writes) {
                assertEquals(BlockOp.WRITE, write.op());
                assertEquals(4096, write.bytes());
                assertTrue(write.latencyNs() > 0);
            }
        } finally {
            if (loop != null) {
                Commands.check("/usr/sbin/losetup", "--detach", loop);
            }
            Files.delete(backing);
        }
    }
}
