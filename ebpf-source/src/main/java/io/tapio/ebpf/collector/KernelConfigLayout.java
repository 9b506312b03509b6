package io.tapio.ebpf.collector;

import static io.tapio.ebpf.event.Layouts.chars;
import static io.tapio.ebpf.event.Layouts.field;
import static io.tapio.ebpf.event.Layouts.struct;
import static io.tapio.ebpf.event.Layouts.u32;
import static io.tapio.ebpf.event.Layouts.u64;

import io.tapio.ebpf.event.EventType;
import io.tapio.ebpf.event.Layouts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The configuration the programs read, as the ABI declares it: {@code struct tapio_config}
 * (the only entry of {@code tapio_config}), {@code struct tapio_path_prefix_key} (the keys
 * of {@code tapio_open_prefixes}) and {@code struct tapio_reader_state} (the only entry of
 * {@code tapio_reader}, mapped into the JVM by {@link ReaderWakeup}).
 */
public final class KernelConfigLayout {
    public static final StructLayout CONFIG = struct(
            "tapio_config",
            u32("enabled_types"),
            u32("open_default_ignore"),
            u64("reported_signals"),
            u64("runq_threshold_ns"),
            u64("block_threshold_ns"),
            u64("connect_threshold_ns"),
            u64("wakeup_bytes"));

    public static final StructLayout PATH_PREFIX_KEY =
            struct("tapio_path_prefix_key", u32("prefix_bits"), chars("path", PathRule.MAX_PREFIX_BYTES));

    public static final StructLayout READER_STATE = struct("tapio_reader_state", u32("sleeping"), u32("pad"));

    private static final VarHandle ENABLED_TYPES = field(CONFIG, "enabled_types");
    private static final VarHandle OPEN_DEFAULT_IGNORE = field(CONFIG, "open_default_ignore");
    private static final VarHandle REPORTED_SIGNALS = field(CONFIG, "reported_signals");
    private static final VarHandle RUNQ_THRESHOLD = field(CONFIG, "runq_threshold_ns");
    private static final VarHandle BLOCK_THRESHOLD = field(CONFIG, "block_threshold_ns");
    private static final VarHandle CONNECT_THRESHOLD = field(CONFIG, "connect_threshold_ns");
    private static final VarHandle WAKEUP_BYTES = field(CONFIG, "wakeup_bytes");
    private static final VarHandle PREFIX_BITS = field(PATH_PREFIX_KEY, "prefix_bits");
    private static final long PREFIX_PATH = Layouts.offset(PATH_PREFIX_KEY, "path");

    private KernelConfigLayout() {}

    static void writeConfig(MemorySegment s, CollectorConfig config) {
        int enabled = 0;
        for (EventType type : config.enabledTypes()) {
            enabled |= 1 << type.code();
        }
        long signals = 0;
        for (int signal : config.reportedSignals()) {
            signals |= 1L << signal;
        }
        ENABLED_TYPES.set(s, 0L, enabled);
        OPEN_DEFAULT_IGNORE.set(s, 0L, config.reportUnmatchedOpens() ? 0 : 1);
        REPORTED_SIGNALS.set(s, 0L, signals);
        RUNQ_THRESHOLD.set(s, 0L, config.runqThreshold().toNanos());
        BLOCK_THRESHOLD.set(s, 0L, config.blockThreshold().toNanos());
        CONNECT_THRESHOLD.set(s, 0L, config.connectThreshold().toNanos());
        WAKEUP_BYTES.set(s, 0L, config.wakeupBytes());
    }

    static void writePrefixKey(MemorySegment s, String prefix) {
        byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
        s.fill((byte) 0);
        PREFIX_BITS.set(s, 0L, bytes.length * 8);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, PREFIX_PATH, bytes.length);
    }
}
