package io.tapio.ebpf.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.abi.Malformation;
import io.tapio.ebpf.abi.RunqLatency;
import io.tapio.ebpf.libbpf.BpfMap;
import io.tapio.ebpf.libbpf.BpfObject;
import io.tapio.ebpf.testing.TestPrograms;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reader against a real kernel ring buffer that a test program fills with well-formed
 * and malformed records, in the order the test chooses.
 */
class RingBufferReaderTest {
    /** enum test_record in test_programs.bpf.c. */
    private static final int VALID = 0;

    private static final int BAD_MAGIC = 1;
    private static final int BAD_VERSION = 2;
    private static final int UNKNOWN_TYPE = 3;
    private static final int TRUNCATED = 4;
    private static final int WRONG_SIZE = 5;

    private static BpfObject object;
    private static AutoCloseable link;
    private static BpfMap control;

    @BeforeAll
    static void load() {
        object = TestPrograms.open();
        object.load();
        link = object.program("tapio_test_records").attach();
        control = object.map("tapio_test_control");
    }

    @AfterAll
    static void unload() throws Exception {
        link.close();
        object.close();
    }

    private static void write(int... records) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = arena.allocate(8);
            for (int record : records) {
                value.set(ValueLayout.JAVA_INT, 0, (int) ProcessHandle.current().pid());
                value.set(ValueLayout.JAVA_INT, 4, record);
                control.update(key, value);
                TestPrograms.getppid();
            }
        }
    }

    @Test
    void malformedRecordsAreCountedAndSkippedAndTheOthersStillArrive() {
        try (RingBufferReader reader = RingBufferReader.open(object.map("tapio_test_events"))) {
            write(VALID, BAD_MAGIC, VALID, BAD_VERSION, UNKNOWN_TYPE, TRUNCATED, WRONG_SIZE, VALID);

            List<KernelEvent> read = new ArrayList<>();
            reader.drain((ring, offset, length) -> read.add(KernelEvent.copyOf(ring, offset, length)), 100);

            assertEquals(3, read.size());
            for (KernelEvent event : read) {
                assertEquals(EventType.RUNQ_LATENCY, event.type());
                assertEquals(4242, event.payload(RunqLatency.class).latencyNs());
                assertEquals(ProcessHandle.current().pid(), event.pid());
            }
            ReaderStats stats = reader.stats();
            assertEquals(3, stats.records());
            assertEquals(3L * EventType.RUNQ_LATENCY.size(), stats.bytes());
            assertEquals(
                    Map.of(
                            Malformation.BAD_MAGIC,
                            1L,
                            Malformation.BAD_VERSION,
                            1L,
                            Malformation.UNKNOWN_TYPE,
                            1L,
                            Malformation.TRUNCATED,
                            1L,
                            Malformation.SIZE_MISMATCH,
                            1L),
                    stats.malformed());
            assertEquals(0, reader.pendingBytes(), "everything read was released to the kernel");
        }
    }

    @Test
    void drainStopsAtTheLimitAndLeavesTheRestForLater() {
        try (RingBufferReader reader = RingBufferReader.open(object.map("tapio_test_events"))) {
            write(VALID, VALID, VALID, VALID, VALID);
            int[] seen = {0};

            assertEquals(2, reader.drain((ring, offset, length) -> seen[0]++, 2));
            assertTrue(reader.fillRatio() > 0);
            assertEquals(3, reader.drain((ring, offset, length) -> seen[0]++, 100));
            assertEquals(5, seen[0]);
            assertEquals(0.0, reader.fillRatio());
        }
    }

    @Test
    void pollWaitsAtMostTheTimeoutOnAnEmptyRing() {
        try (RingBufferReader reader = RingBufferReader.open(object.map("tapio_test_events"))) {
            reader.drain((ring, offset, length) -> {}, Integer.MAX_VALUE);

            assertEquals(0, reader.poll((ring, offset, length) -> {}, 10, Duration.ofMillis(20)));
            assertFalse(reader.await(Duration.ofMillis(1)));
        }
    }

    @Test
    void aHandlerThatThrowsLeavesItsRecordToBeReadAgain() {
        try (RingBufferReader reader = RingBufferReader.open(object.map("tapio_test_events"))) {
            write(VALID);
            IllegalStateException failure = assertThrows(
                    IllegalStateException.class,
                    () -> reader.drain(
                            (ring, offset, length) -> {
                                throw new IllegalStateException("handler failed");
                            },
                            10));
            assertEquals("handler failed", failure.getMessage(), "the handler's own exception reaches the caller");
            assertEquals(1, reader.drain((ring, offset, length) -> {}, 10), "and its record stays to be read again");
        }
    }

    @Test
    void readingAfterCloseFailsWithAnExceptionNotACrash() {
        RingBufferReader reader = RingBufferReader.open(object.map("tapio_test_events"));
        reader.close();

        assertThrows(IllegalStateException.class, () -> reader.drain((ring, offset, length) -> {}, 1));
        assertThrows(IllegalStateException.class, reader::fillRatio);
        reader.close(); // a second close is harmless
    }
}
