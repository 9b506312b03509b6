package io.tapio.ebpf.source.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.CaptureReader;
import io.tapio.ebpf.capture.Recorder;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.testing.Commands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A capture of real kernel events, recorded here, replayed through a real MiniCluster. */
class ReplaySourceTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    @TempDir
    static Path dir;

    private static Path capture;
    private static List<KernelEvent> recorded;

    @BeforeAll
    static void record() throws Exception {
        capture = dir.resolve("kernel.tapio");
        AtomicBoolean busy = new AtomicBoolean(true);
        Thread activity = Thread.ofPlatform().start(() -> {
            while (busy.get()) {
                Commands.run("/bin/sh", "-c", "cat /tmp/tapio-missing-file; exit 5");
            }
        });
        Recorder.Result result = Recorder.record(
                CollectorConfig.builder().ringBufferBytes(4 << 20).build(),
                capture,
                "test-node",
                Duration.ofSeconds(2),
                () -> false,
                progress -> {});
        busy.set(false);
        activity.join();
        assertTrue(result.records() > 20, "recorded " + result.records());
        recorded = readAll(capture);
        assertEquals(result.records(), recorded.size());
    }

    @Test
    void replayDeliversExactlyTheRecordedRecordsInOrder() throws Exception {
        assertEquals(recorded, replay(ReplaySource.asFastAsPossible(capture)));
    }

    @Test
    void replayAtRecordedSpeedTakesAtLeastTheRecordingSpan() throws Exception {
        long span = recorded.getLast().timestampNs() - recorded.getFirst().timestampNs();
        long start = System.nanoTime();

        assertEquals(recorded, replay(ReplaySource.atSpeed(capture, 1)));

        assertTrue(System.nanoTime() - start >= span, "the recorded gaps were kept");
    }

    @Test
    void aTruncatedCaptureFailsTheJobWithAClearMessage() throws Exception {
        Path truncated = dir.resolve("truncated.tapio");
        Files.copy(capture, truncated);
        try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }

        Exception failure = assertThrows(Exception.class, () -> replay(ReplaySource.asFastAsPossible(truncated)));

        String message = ExceptionUtils.stringifyException(failure);
        assertTrue(message.contains(truncated + " is truncated at byte"), message);
    }

    private static List<KernelEvent> replay(ReplaySource source) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<KernelEvent> replayed = new ArrayList<>();
        try (CloseableIterator<KernelEvent> events = env.fromSource(source, WatermarkStrategy.noWatermarks(), "replay")
                .executeAndCollect("replay-test")) {
            events.forEachRemaining(replayed::add);
        }
        return replayed;
    }

    private static List<KernelEvent> readAll(Path file) throws IOException {
        List<KernelEvent> events = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(file)) {
            for (KernelEvent e; (e = reader.next()) != null; ) {
                events.add(e);
            }
        }
        return events;
    }
}
