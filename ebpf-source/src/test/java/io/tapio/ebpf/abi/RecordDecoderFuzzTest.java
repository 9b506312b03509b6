package io.tapio.ebpf.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.testing.Fuzz;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The decoder of the ring's records, fuzzed ({@link Fuzz}; README, "Building and testing by
 * hand", for the long run): whatever bytes a record holds, and whatever length the ring gives
 * it, the reader either counts it as malformed (a {@link Malformation}; {@link KernelEvent}
 * throws {@link MalformedRecordException} with the same one) or gets an event whose every field
 * and payload decodes. Nothing else is thrown, and decoding allocates in proportion to the
 * record, never to a length or a count read from inside it.
 */
class RecordDecoderFuzzTest {
    @Test
    void everyRecordIsAnEventOrCountedAsMalformedAndDecodesWithinItsBound() {
        List<String> reached = new ArrayList<>();
        Arrays.stream(EventType.values()).map(EventType::label).forEach(reached::add);
        Stream.of(Malformation.TRUNCATED, Malformation.BAD_MAGIC, Malformation.UNKNOWN_TYPE, Malformation.SIZE_MISMATCH)
                .map(Malformation::name)
                .forEach(reached::add);
        Fuzz.ofBytes("ring records", FuzzedRecords::next)
                .allocatingAtMost(record -> 32L * record.length + 32 * 1024)
                .reaching(reached)
                .check(RecordDecoderFuzzTest::decode);
    }

    /** Reads the record as the ring's reader and the job do; returns its type or its malformation. */
    private static String decode(byte[] bytes) {
        MemorySegment ring = MemorySegment.ofArray(bytes);
        Malformation malformation = Malformation.find(ring, 0, bytes.length);
        if (malformation != null) {
            MalformedRecordException refused =
                    assertThrows(MalformedRecordException.class, () -> KernelEvent.copyOf(ring, 0, bytes.length));
            assertEquals(malformation, refused.malformation());
            return malformation.name();
        }
        KernelEvent event = KernelEvent.copyOf(ring, 0, bytes.length);
        EventPayload payload = event.payload();
        assertEquals(EventType.of(payload), event.type());
        assertEquals(event, KernelEvent.of(event.toByteArray()));
        String text = SafeText.of(event.subject().comm() + " " + event);
        assertTrue(text.codePoints().noneMatch(SafeText::isUnsafe), text);
        return event.type().label();
    }
}
