package io.tapio.ebpf.abi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** {@code enum tapio_event_type}: each type with its record's layout, payload class and codec. */
public enum EventType {
    EXEC(
            1,
            Exec.LAYOUT,
            Exec.class,
            Exec::decode,
            Exec::encode,
            TrailingText.of(Exec.LAYOUT, "filename_len", "filename")),
    EXIT(2, Exit.LAYOUT, Exit.class, Exit::decode, Exit::encode),
    OOM_KILL(3, OomKill.LAYOUT, OomKill.class, OomKill::decode, OomKill::encode),
    SIGNAL(4, Signal.LAYOUT, Signal.class, Signal::decode, Signal::encode),
    OPEN_FAILED(
            5,
            OpenFailed.LAYOUT,
            OpenFailed.class,
            OpenFailed::decode,
            OpenFailed::encode,
            TrailingText.of(OpenFailed.LAYOUT, "path_len", "path")),
    TCP_CONNECT(6, TcpConnect.LAYOUT, TcpConnect.class, TcpConnect::decode, TcpConnect::encode),
    TCP_RESET(7, TcpReset.LAYOUT, TcpReset.class, TcpReset::decode, TcpReset::encode),
    TCP_RETRANSMIT(8, TcpRetransmit.LAYOUT, TcpRetransmit.class, TcpRetransmit::decode, TcpRetransmit::encode),
    RUNQ_LATENCY(9, RunqLatency.LAYOUT, RunqLatency.class, RunqLatency::decode, RunqLatency::encode),
    BLOCK_IO_LATENCY(10, BlockIoLatency.LAYOUT, BlockIoLatency.class, BlockIoLatency::decode, BlockIoLatency::encode);

    /** One past the largest code, as TAPIO_EVENT_TYPE_LIMIT. */
    public static final int CODE_LIMIT = 11;

    private static final EventType[] BY_CODE = new EventType[CODE_LIMIT];
    private static final Map<Class<?>, EventType> BY_PAYLOAD = new HashMap<>();

    static {
        for (EventType type : values()) {
            BY_CODE[type.code] = type;
            BY_PAYLOAD.put(type.payloadClass, type);
        }
    }

    private final int code;
    private final StructLayout layout;
    private final int size;
    private final Class<? extends EventPayload> payloadClass;
    private final Function<KernelEvent, ? extends EventPayload> decoder;
    private final BiConsumer<EventPayload, byte[]> encoder;
    private final String label;
    /** The path the record ends in, or null. */
    private final TrailingText trailing;

    <P extends EventPayload> EventType(
            int code,
            StructLayout layout,
            Class<P> payloadClass,
            Function<KernelEvent, P> decoder,
            BiConsumer<P, byte[]> encoder) {
        this(code, layout, payloadClass, decoder, encoder, null);
    }

    <P extends EventPayload> EventType(
            int code,
            StructLayout layout,
            Class<P> payloadClass,
            Function<KernelEvent, P> decoder,
            BiConsumer<P, byte[]> encoder,
            TrailingText trailing) {
        this.code = code;
        this.trailing = trailing;
        this.layout = layout;
        this.size = (int) layout.byteSize();
        this.payloadClass = payloadClass;
        this.decoder = decoder;
        this.encoder = (payload, record) -> encoder.accept(payloadClass.cast(payload), record);
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** The type with this code, or {@code null} for a code this ABI does not know. */
    public static EventType ofCode(int code) {
        return code >= 0 && code < CODE_LIMIT ? BY_CODE[code] : null;
    }

    /** The type whose records carry this payload. */
    public static EventType of(EventPayload payload) {
        return BY_PAYLOAD.get(payload.getClass());
    }

    public int code() {
        return code;
    }

    /** Whether this type's records carry payloads of {@code payloadClass}. */
    boolean carries(Class<? extends EventPayload> payloadClass) {
        return this.payloadClass == payloadClass;
    }

    /** The layout of the whole record, header included. */
    public StructLayout layout() {
        return layout;
    }

    /** The size in bytes of every record of this type, as the kernel writes it. */
    public int size() {
        return size;
    }

    /**
     * Whether {@code length} bytes at {@code record} are a whole record of this type as the
     * kernel wrote it, or one kept up to the NUL of the path it ends in ({@link #usedSize}).
     */
    boolean fits(MemorySegment segment, long record, long length) {
        return length == size
                || trailing != null && length >= trailing.minimumSize() && length == trailing.usedSize(segment, record);
    }

    /**
     * The bytes of the well-formed record at {@code record} that an event keeps: all of them,
     * or for a record that ends in a path, those up to the path's NUL.
     */
    int usedSize(MemorySegment segment, long record) {
        return trailing == null ? size : trailing.usedSize(segment, record);
    }

    /** {@link #usedSize(MemorySegment, long)} of a well-formed record at {@code at} of an array. */
    int usedSize(byte[] record, long at) {
        return trailing == null ? size : trailing.usedSize(record, at);
    }

    /** The name used in metrics, tables and configuration: {@code oom_kill}, ... */
    public String label() {
        return label;
    }

    public static EventType ofLabel(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }

    EventPayload decode(KernelEvent event) {
        return decoder.apply(event);
    }

    /** Writes the payload's fields into a record of this type; the header is not touched. */
    void encode(EventPayload payload, byte[] record) {
        encoder.accept(payload, record);
    }
}
