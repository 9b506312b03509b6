package io.tapio.ebpf.abi;

import java.io.DataOutput;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * One event from the kernel: an immutable copy of one well-formed record of the ABI.
 *
 * <p>The record's bytes are the event's only state, so that every place an event travels
 * (a Flink network buffer, a capture file, a Kafka record) carries exactly what the kernel
 * wrote, and one decoder reads it everywhere. A record that ends in a path is kept up to the
 * path's NUL: the rest of its 256-byte buffer is zeros, most of what a failed open's record
 * would otherwise copy, carry and store. Header fields are read in place; the payload is
 * decoded on demand. Both straight from the array ({@link Layouts#arrayField}): a segment made
 * for a read escaped whenever the read was not inlined, two objects a read. Java serialization
 * (Flink state that holds events as evidence) writes the record and nothing else.
 */
public final class KernelEvent implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final byte[] record;
    private final transient EventType type;
    /** Decoded on first use, then kept: a job reads an event's payload in several places. */
    private transient EventPayload payload;

    /** Takes a well-formed record, kept up to its path's NUL if it ends in one. */
    private KernelEvent(byte[] record, EventType type) {
        this.record = record;
        this.type = type;
    }

    /**
     * Copies the record of {@code length} bytes at {@code offset}, up to its path's NUL if it
     * ends in one.
     *
     * @throws MalformedRecordException when it is not a well-formed record
     */
    public static KernelEvent copyOf(MemorySegment source, long offset, int length) {
        EventType type = wellFormed(source, offset, length);
        byte[] record = new byte[type.usedSize(source, offset)];
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, record, 0, record.length);
        return new KernelEvent(record, type);
    }

    /**
     * The event whose record is {@code record}, whole or kept up to its path's NUL; the array is
     * owned by the event from now on.
     *
     * @throws MalformedRecordException when it is not a well-formed record
     */
    public static KernelEvent of(byte[] record) {
        MemorySegment segment = MemorySegment.ofArray(record);
        EventType type = wellFormed(segment, 0, record.length);
        int used = type.usedSize(segment, 0);
        return new KernelEvent(used == record.length ? record : Arrays.copyOf(record, used), type);
    }

    private static EventType wellFormed(MemorySegment segment, long offset, long length) {
        Malformation malformation = Malformation.find(segment, offset, length);
        if (malformation != null) {
            throw new MalformedRecordException(malformation, length);
        }
        return EventType.ofCode(EventHeader.typeCode(segment, offset));
    }

    /**
     * The event whose record the kernel would have written for this subject and payload: the
     * header's magic, ABI version, type and size follow from the payload.
     */
    public static KernelEvent of(EventSubject subject, EventPayload payload) {
        EventType type = EventType.of(payload);
        byte[] record = new byte[type.size()];
        EventHeader.write(record, type, subject);
        type.encode(payload, record);
        return of(record);
    }

    public EventType type() {
        return type;
    }

    /** {@code bpf_ktime_get_ns()} when it happened: CLOCK_MONOTONIC, as {@link System#nanoTime()}. */
    public long timestampNs() {
        return EventHeader.timestampNs(record);
    }

    public int cpu() {
        return EventHeader.cpu(record);
    }

    /** The process (thread group) the event is about. */
    public int pid() {
        return EventHeader.pid(record);
    }

    public int tid() {
        return EventHeader.tid(record);
    }

    /** The cgroup v2 id of the task the event is about. */
    public long cgroupId() {
        return EventHeader.cgroupId(record);
    }

    public String comm() {
        return EventHeader.comm(record);
    }

    /** The header's values that describe the event. */
    public EventSubject subject() {
        return new EventSubject(timestampNs(), cpu(), pid(), tid(), cgroupId(), comm());
    }

    public EventPayload payload() {
        EventPayload decoded = payload;
        if (decoded == null) {
            payload = decoded = type.decode(record); // a race decodes twice, harmlessly
        }
        return decoded;
    }

    /** The payload, which the caller knows to be of this class. */
    public <P extends EventPayload> P payload(Class<P> payloadClass) {
        return payloadClass.cast(payload());
    }

    /**
     * The payload if the event's type carries payloads of {@code payloadClass}, else null; decoded
     * only then. What looks at every event for one type's payload (a pattern's match, the job's
     * filter) asks this, so that the events of the other types are not decoded for it.
     */
    public <P extends EventPayload> P payloadIf(Class<P> payloadClass) {
        return type.carries(payloadClass) ? payloadClass.cast(payload()) : null;
    }

    /** The record itself, for a payload's field read in place; never to be changed. */
    byte[] record() {
        return record;
    }

    /** The size in bytes of the record the event keeps: up to its path's NUL if it ends in one. */
    public int size() {
        return record.length;
    }

    public void writeTo(DataOutput out) throws IOException {
        out.write(record);
    }

    /** A copy of the record's bytes. */
    public byte[] toByteArray() {
        return record.clone();
    }

    @Serial
    private Object writeReplace() {
        return new SerializedForm(record);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("a KernelEvent is read from its serialized form");
    }

    /** The record, checked again when read back. */
    private record SerializedForm(byte[] record) implements Serializable {
        @Serial
        private Object readResolve() {
            return of(record);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelEvent other && Arrays.equals(record, other.record);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(record);
    }

    @Override
    public String toString() {
        return type.label() + "{ts=" + timestampNs() + ", pid=" + pid() + ", tid=" + tid() + ", comm=" + comm()
                + ", cgroup=" + cgroupId() + ", " + payload() + "}";
    }
}
