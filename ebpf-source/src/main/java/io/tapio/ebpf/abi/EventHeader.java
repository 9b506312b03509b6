package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.arrayField;
import static io.tapio.ebpf.abi.Layouts.chars;
import static io.tapio.ebpf.abi.Layouts.field;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u16;
import static io.tapio.ebpf.abi.Layouts.u32;
import static io.tapio.ebpf.abi.Layouts.u64;
import static io.tapio.ebpf.abi.Layouts.u8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct tapio_event_header}: the common header of every record, and the constants
 * that identify a record as Tapio's.
 */
public final class EventHeader {
    public static final int MAGIC = 0x7A91;
    public static final int ABI_VERSION = 1;
    public static final int COMM_LEN = 16;
    public static final int PATH_LEN = 256;

    public static final StructLayout LAYOUT = struct(
            "tapio_event_header",
            u16("magic"),
            u8("version"),
            u8("type"),
            u16("size"),
            u16("cpu"),
            u64("timestamp_ns"),
            u32("pid"),
            u32("tid"),
            u64("cgroup_id"),
            chars("comm", COMM_LEN));

    public static final int SIZE = (int) LAYOUT.byteSize();

    // Read in the ring, where a record is validated before it is copied out.
    private static final VarHandle MAGIC_FIELD = field(LAYOUT, "magic");
    private static final VarHandle VERSION = field(LAYOUT, "version");
    private static final VarHandle TYPE = field(LAYOUT, "type");
    private static final VarHandle RECORD_SIZE = field(LAYOUT, "size");
    private static final VarHandle TIMESTAMP = field(LAYOUT, "timestamp_ns");
    // Read and written in an event's record (KernelEvent), at the record's start in its array.
    private static final VarHandle MAGIC_IN_RECORD = arrayField(LAYOUT, "magic");
    private static final VarHandle VERSION_IN_RECORD = arrayField(LAYOUT, "version");
    private static final VarHandle TYPE_IN_RECORD = arrayField(LAYOUT, "type");
    private static final VarHandle SIZE_IN_RECORD = arrayField(LAYOUT, "size");
    private static final VarHandle CPU_IN_RECORD = arrayField(LAYOUT, "cpu");
    private static final VarHandle TIMESTAMP_IN_RECORD = arrayField(LAYOUT, "timestamp_ns");
    private static final VarHandle PID_IN_RECORD = arrayField(LAYOUT, "pid");
    private static final VarHandle TID_IN_RECORD = arrayField(LAYOUT, "tid");
    private static final VarHandle CGROUP_ID_IN_RECORD = arrayField(LAYOUT, "cgroup_id");
    private static final long COMM = Layouts.offset(LAYOUT, "comm");

    private EventHeader() {}

    public static int magic(MemorySegment s, long record) {
        return Short.toUnsignedInt((short) MAGIC_FIELD.get(s, record));
    }

    public static int version(MemorySegment s, long record) {
        return Byte.toUnsignedInt((byte) VERSION.get(s, record));
    }

    public static int typeCode(MemorySegment s, long record) {
        return Byte.toUnsignedInt((byte) TYPE.get(s, record));
    }

    public static int size(MemorySegment s, long record) {
        return Short.toUnsignedInt((short) RECORD_SIZE.get(s, record));
    }

    /** The ring's records are read in place by the collector's bench: the one header field it needs. */
    public static long timestampNs(MemorySegment s, long record) {
        return (long) TIMESTAMP.get(s, record);
    }

    static int typeCode(byte[] record, long at) {
        return Byte.toUnsignedInt((byte) TYPE_IN_RECORD.get(record, at));
    }

    static int cpu(byte[] record, long at) {
        return Short.toUnsignedInt((short) CPU_IN_RECORD.get(record, at));
    }

    static long timestampNs(byte[] record, long at) {
        return (long) TIMESTAMP_IN_RECORD.get(record, at);
    }

    static int pid(byte[] record, long at) {
        return (int) PID_IN_RECORD.get(record, at);
    }

    static int tid(byte[] record, long at) {
        return (int) TID_IN_RECORD.get(record, at);
    }

    static long cgroupId(byte[] record, long at) {
        return (long) CGROUP_ID_IN_RECORD.get(record, at);
    }

    static String comm(byte[] record, long at) {
        return Layouts.cString(record, at + COMM, COMM_LEN);
    }

    /** Writes the whole header of a record of {@code type} about {@code subject}. */
    static void write(byte[] r, EventType type, EventSubject subject) {
        MAGIC_IN_RECORD.set(r, 0L, (short) MAGIC);
        VERSION_IN_RECORD.set(r, 0L, (byte) ABI_VERSION);
        TYPE_IN_RECORD.set(r, 0L, (byte) type.code());
        SIZE_IN_RECORD.set(r, 0L, (short) type.size());
        CPU_IN_RECORD.set(r, 0L, (short) subject.cpu());
        TIMESTAMP_IN_RECORD.set(r, 0L, subject.timestampNs());
        PID_IN_RECORD.set(r, 0L, subject.pid());
        TID_IN_RECORD.set(r, 0L, subject.tid());
        CGROUP_ID_IN_RECORD.set(r, 0L, subject.cgroupId());
        Layouts.putString(r, COMM, COMM_LEN, subject.comm());
    }
}
