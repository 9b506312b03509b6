package io.tapio.ebpf.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.Locale;
import java.util.function.Function;

/** {@code enum tapio_event_type}: each type with its record's layout and decoder. */
public enum EventType {
    EXEC(1, Exec.LAYOUT, Exec::decode),
    EXIT(2, Exit.LAYOUT, Exit::decode),
    OOM_KILL(3, OomKill.LAYOUT, OomKill::decode),
    SIGNAL(4, Signal.LAYOUT, Signal::decode),
    OPEN_FAILED(5, OpenFailed.LAYOUT, OpenFailed::decode),
    TCP_CONNECT(6, TcpConnect.LAYOUT, TcpConnect::decode),
    TCP_RESET(7, TcpReset.LAYOUT, TcpReset::decode),
    TCP_RETRANSMIT(8, TcpRetransmit.LAYOUT, TcpRetransmit::decode),
    RUNQ_LATENCY(9, RunqLatency.LAYOUT, RunqLatency::decode),
    BLOCK_IO_LATENCY(10, BlockIoLatency.LAYOUT, BlockIoLatency::decode);

    /** One past the largest code, as TAPIO_EVENT_TYPE_LIMIT. */
    public static final int CODE_LIMIT = 11;

    private static final EventType[] BY_CODE = new EventType[CODE_LIMIT];

    static {
        for (EventType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final StructLayout layout;
    private final int size;
    private final Function<MemorySegment, EventPayload> decoder;
    private final String label;

    EventType(int code, StructLayout layout, Function<MemorySegment, EventPayload> decoder) {
        this.code = code;
        this.layout = layout;
        this.size = (int) layout.byteSize();
        this.decoder = decoder;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** The type with this code, or {@code null} for a code this ABI does not know. */
    public static EventType ofCode(int code) {
        return code >= 0 && code < CODE_LIMIT ? BY_CODE[code] : null;
    }

    public int code() {
        return code;
    }

    /** The layout of the whole record, header included. */
    public StructLayout layout() {
        return layout;
    }

    /** The size in bytes of every record of this type. */
    public int size() {
        return size;
    }

    /** The name used in metrics, tables and configuration: {@code oom_kill}, ... */
    public String label() {
        return label;
    }

    public static EventType ofLabel(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }

    EventPayload decode(MemorySegment record) {
        return decoder.apply(record);
    }
}
