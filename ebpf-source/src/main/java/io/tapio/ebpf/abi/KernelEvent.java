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
 * One event from the kernel: one well-formed record of the ABI, which never changes.
 *
 * <p>The record's bytes are the event's only state, so that every place an event travels
 * (a Flink network buffer, a capture file, a Kafka record) carries exactly what the kernel
 * wrote, and one decoder reads it everywhere. A record that ends in a path is kept up to the
 * path's NUL: the rest of its 256-byte buffer is zeros, most of what a failed open's record
 * would otherwise copy, carry and store. Header fields are read in place; the payload is
 * decoded on demand. Both straight from the array ({@link Layouts#arrayField}): a segment made
 * for a read escaped whenever the read was not inlined, two objects a read. Java serialization
 * (Flink state that holds events as evidence) writes the record and nothing else.
 *
 * <p>The record is the event's own array, or lies in a {@link HandOverBuffer}: the buffer a
 * reader copies the records of one hand-over into, reused for the next one. Such an event is
 * lent: it may be read until its hand-over ends, and whatever keeps it beyond (Flink state,
 * evidence) keeps {@link #kept()}, a copy with a record of its own. Reading a lent event after
 * its hand-over throws, so that a place that forgot to keep one fails where it reads, never
 * reads the next hand-over's bytes.
 */
public final class KernelEvent implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Holds the record at {@link #base}: the event's own array, or a hand-over buffer's. */
    private final transient byte[] record;

    private final transient int base;
    /** The hand-over a lent event may be read in; null when the record is the event's own. */
    private final transient HandOverBuffer.Lease lease;
    /** Read from the record once: the stages switch on it several times per event. */
    private final transient EventType type;
    /** Decoded on first use, then kept: a job reads an event's payload in several places. */
    private transient EventPayload payload;

    /** Takes a well-formed record, kept up to its path's NUL if it ends in one. */
    private KernelEvent(byte[] record) {
        this(record, 0, null);
    }

    /**
     * A well-formed record at {@code base} of {@code record}: the whole array when the record is
     * the event's own, kept up to its path's NUL; a lent one's length is read from the record.
     */
    KernelEvent(byte[] record, int base, HandOverBuffer.Lease lease) {
        this.record = record;
        this.base = base;
        this.lease = lease;
        this.type = EventType.ofCode(EventHeader.typeCode(record, base));
    }

    /**
     * Copies the record of {@code length} bytes at {@code offset}, up to its path's NUL if it
     * ends in one.
     *
     * @throws MalformedRecordException when it is not a well-formed record
     */
    public static KernelEvent copyOf(MemorySegment source, long offset, int length) {
        byte[] record = new byte[usedSize(source, offset, length)];
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, record, 0, record.length);
        return new KernelEvent(record);
    }

    /**
     * The event whose record is {@code record}, whole or kept up to its path's NUL; the array is
     * owned by the event from now on.
     *
     * @throws MalformedRecordException when it is not a well-formed record
     */
    public static KernelEvent of(byte[] record) {
        int used = usedSize(MemorySegment.ofArray(record), 0, record.length);
        return new KernelEvent(used == record.length ? record : Arrays.copyOf(record, used));
    }

    /**
     * The bytes of the record at {@code offset} that an event keeps: up to its path's NUL if it
     * ends in one.
     *
     * @throws MalformedRecordException when it is not a well-formed record
     */
    static int usedSize(MemorySegment segment, long offset, long length) {
        Malformation malformation = Malformation.find(segment, offset, length);
        if (malformation != null) {
            throw new MalformedRecordException(malformation, length);
        }
        return EventType.ofCode(EventHeader.typeCode(segment, offset)).usedSize(segment, offset);
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
        return EventHeader.timestampNs(record(), base);
    }

    public int cpu() {
        return EventHeader.cpu(record(), base);
    }

    /** The process (thread group) the event is about. */
    public int pid() {
        return EventHeader.pid(record(), base);
    }

    public int tid() {
        return EventHeader.tid(record(), base);
    }

    /** The cgroup v2 id of the task the event is about. */
    public long cgroupId() {
        return EventHeader.cgroupId(record(), base);
    }

    public String comm() {
        return EventHeader.comm(record(), base);
    }

    /** The header's values that describe the event. */
    public EventSubject subject() {
        return new EventSubject(timestampNs(), cpu(), pid(), tid(), cgroupId(), comm());
    }

    public EventPayload payload() {
        EventPayload decoded = payload;
        if (decoded == null) {
            payload = decoded = type.decode(this); // a race decodes twice, harmlessly
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

    /**
     * The array holding the record at {@link #base}, for a payload's field read in place; never
     * to be changed.
     *
     * @throws IllegalStateException when the event is lent and its hand-over has ended
     */
    byte[] record() {
        if (lease != null && lease.ended()) {
            throw new IllegalStateException("a lent " + type.label() + " event was read after its hand-over ended: "
                    + "what keeps an event beyond its hand-over keeps KernelEvent.kept()");
        }
        return record;
    }

    /** Where the record starts in {@link #record()}. */
    long base() {
        return base;
    }

    /**
     * This event, or when it is lent ({@link HandOverBuffer}) a copy of it with a record of its
     * own: what keeps an event beyond the hand-over it came with keeps this.
     */
    public KernelEvent kept() {
        return lease == null ? this : new KernelEvent(toByteArray());
    }

    /** Whether the event's record lies in a hand-over's buffer, to be read only until the hand-over ends. */
    public boolean lent() {
        return lease != null;
    }

    /** The size in bytes of the record the event keeps: up to its path's NUL if it ends in one. */
    public int size() {
        return lease == null ? record.length : type.usedSize(record(), base);
    }

    public void writeTo(DataOutput out) throws IOException {
        out.write(record(), base, size());
    }

    /** A copy of the record's bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(record(), base, base + size());
    }

    @Serial
    private Object writeReplace() {
        return new SerializedForm(toByteArray());
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
        return o instanceof KernelEvent other
                && Arrays.equals(record(), base, base + size(), other.record(), other.base, other.base + other.size());
    }

    /** As {@link Arrays#hashCode(byte[])} of the record's bytes. */
    @Override
    public int hashCode() {
        byte[] bytes = record();
        int hash = 1;
        for (int i = base, end = base + size(); i < end; i++) {
            hash = 31 * hash + bytes[i];
        }
        return hash;
    }

    @Override
    public String toString() {
        return type.label() + "{ts=" + timestampNs() + ", pid=" + pid() + ", tid=" + tid() + ", comm=" + comm()
                + ", cgroup=" + cgroupId() + ", " + payload() + "}";
    }
}
