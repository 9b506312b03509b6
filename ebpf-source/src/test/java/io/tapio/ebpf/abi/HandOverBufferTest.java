package io.tapio.ebpf.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Events lent by a hand-over's buffer: read as the records they were copied from while the
 * hand-over lasts, refused after it (never the next hand-over's bytes), and kept as copies.
 */
class HandOverBufferTest {
    private static final EventSubject SUBJECT =
            new EventSubject(123_456_789_012L, 3, 4242, 4243, 0x1_0000_0001L, "payments");

    static List<EventPayload> payloads() {
        return KernelEventEncodingTest.payloads();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void aLentEventReadsAsTheRecordItWasCopiedFrom(EventPayload payload) throws IOException {
        KernelEvent owned = KernelEvent.of(SUBJECT, payload);
        HandOverBuffer buffer = new HandOverBuffer();
        KernelEvent before = KernelEvent.of(SUBJECT, new RunqLatency(1));
        buffer.copy(ring(before), 0, before.size()); // so that the record starts past the buffer's start
        KernelEvent lent = buffer.copy(ring(owned), 0, owned.size());

        assertTrue(lent.lent());
        assertEquals(owned, lent);
        assertEquals(owned.hashCode(), lent.hashCode());
        assertEquals(owned.toString(), lent.toString());
        assertEquals(SUBJECT, lent.subject());
        assertEquals(payload, lent.payload());
        assertArrayEquals(owned.toByteArray(), lent.toByteArray());
        assertArrayEquals(owned.toByteArray(), written(lent));
        assertArrayEquals(
                owned.toByteArray(), KernelEvent.of(SUBJECT, lent.payload()).toByteArray());
    }

    @Test
    void aLentEventIsRefusedAfterItsHandOverAndItsKeptCopyStays() {
        HandOverBuffer buffer = new HandOverBuffer();
        KernelEvent missing = KernelEvent.of(SUBJECT, new OpenFailed(OpenFailed.ENOENT, 0, "/etc/config/app.yaml"));
        KernelEvent lent = buffer.copy(ring(missing), 0, missing.size());
        OpenFailed payload = lent.payload(OpenFailed.class); // its path is read from the record when asked
        KernelEvent kept = lent.kept();

        buffer.next();
        KernelEvent other = KernelEvent.of(SUBJECT, new OpenFailed(OpenFailed.EACCES, 0, "/var/run/secret"));
        buffer.copy(ring(other), 0, other.size()); // the next hand-over writes where the first one's record was

        IllegalStateException read = assertThrows(IllegalStateException.class, lent::pid);
        assertTrue(
                read.getMessage().contains("a lent open_failed event was read after its hand-over ended"),
                read.getMessage());
        assertThrows(IllegalStateException.class, payload::path);
        assertThrows(IllegalStateException.class, lent::kept);
        assertEquals(EventType.OPEN_FAILED, lent.type(), "its type, read when it was lent, stays known");
        assertFalse(kept.lent());
        assertEquals(missing, kept);
        assertEquals("/etc/config/app.yaml", kept.payload(OpenFailed.class).path());
        assertSame(kept, kept.kept(), "an event with a record of its own is kept as it is");
    }

    @Test
    void aKeptCopyIsJavaSerializedAsTheRecord() throws Exception {
        HandOverBuffer buffer = new HandOverBuffer();
        KernelEvent owned = KernelEvent.of(SUBJECT, new Exec(1, "/usr/local/bin/payments"));
        KernelEvent lent = buffer.copy(ring(owned), 0, owned.size());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(lent);
        }
        buffer.next();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            KernelEvent read = (KernelEvent) in.readObject();
            assertEquals(owned, read);
            assertFalse(read.lent());
        }
    }

    @Test
    void aHandOverLargerThanTheBufferGoesOnInALargerOneAndTheEarlierEventsStay() {
        HandOverBuffer buffer = new HandOverBuffer(256);
        List<KernelEvent> owned = new ArrayList<>();
        List<KernelEvent> lent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            KernelEvent event = KernelEvent.of(SUBJECT, new OpenFailed(OpenFailed.ENOENT, i, "/srv/data/file-" + i));
            owned.add(event);
            lent.add(buffer.copy(ring(event), 0, event.size()));
        }
        assertEquals(owned, lent);
    }

    @Test
    void aMalformedRecordIsRefusedAndTakesNoRoom() {
        HandOverBuffer buffer = new HandOverBuffer();
        byte[] record = KernelEvent.of(SUBJECT, new RunqLatency(5)).toByteArray();
        record[0] = 0; // the magic
        MalformedRecordException refused = assertThrows(
                MalformedRecordException.class, () -> buffer.copy(MemorySegment.ofArray(record), 0, record.length));
        assertEquals(Malformation.BAD_MAGIC, refused.malformation());
        assertEquals(0, buffer.used());
    }

    @Test
    void anEventWithARecordOfItsOwnIsNotLent() {
        KernelEvent owned = KernelEvent.of(SUBJECT, new RunqLatency(5));
        assertFalse(owned.lent());
        assertNotSame(
                owned, new HandOverBuffer().copy(ring(owned), 0, owned.size()).kept());
    }

    /** The record as it lies in the ring: off the heap. */
    private static MemorySegment ring(KernelEvent event) {
        byte[] record = event.toByteArray();
        MemorySegment segment = Arena.ofAuto().allocate(record.length);
        MemorySegment.copy(MemorySegment.ofArray(record), 0, segment, 0, record.length);
        return segment;
    }

    private static byte[] written(KernelEvent event) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            event.writeTo(out);
        }
        return bytes.toByteArray();
    }
}
