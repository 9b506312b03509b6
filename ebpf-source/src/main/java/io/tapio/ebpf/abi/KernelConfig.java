package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.field;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u32;
import static io.tapio.ebpf.abi.Layouts.u64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct tapio_config}: the only entry of the {@link BpfMaps#CONFIG} map, which every
 * program reads on every event and user space may rewrite at any time.
 *
 * @param enabledTypes bit {@code 1 << code} per enabled {@link EventType}
 * @param openDefaultIgnore whether a failed open whose path no prefix rule matches is ignored
 * @param reportedSignals bit {@code 1 << signo} per signal worth reporting
 * @param wakeupBytes wake the reader once this much data is unconsumed
 */
public record KernelConfig(
        int enabledTypes,
        boolean openDefaultIgnore,
        long reportedSignals,
        long runqThresholdNs,
        long blockThresholdNs,
        long connectThresholdNs,
        long wakeupBytes) {
    public static final StructLayout LAYOUT = struct(
            "tapio_config",
            u32("enabled_types"),
            u32("open_default_ignore"),
            u64("reported_signals"),
            u64("runq_threshold_ns"),
            u64("block_threshold_ns"),
            u64("connect_threshold_ns"),
            u64("wakeup_bytes"));

    private static final VarHandle ENABLED_TYPES = field(LAYOUT, "enabled_types");
    private static final VarHandle OPEN_DEFAULT_IGNORE = field(LAYOUT, "open_default_ignore");
    private static final VarHandle REPORTED_SIGNALS = field(LAYOUT, "reported_signals");
    private static final VarHandle RUNQ_THRESHOLD = field(LAYOUT, "runq_threshold_ns");
    private static final VarHandle BLOCK_THRESHOLD = field(LAYOUT, "block_threshold_ns");
    private static final VarHandle CONNECT_THRESHOLD = field(LAYOUT, "connect_threshold_ns");
    private static final VarHandle WAKEUP_BYTES = field(LAYOUT, "wakeup_bytes");

    /** Writes the struct at the start of {@code s}, which holds at least {@link #LAYOUT}. */
    public void writeTo(MemorySegment s) {
        ENABLED_TYPES.set(s, 0L, enabledTypes);
        OPEN_DEFAULT_IGNORE.set(s, 0L, openDefaultIgnore ? 1 : 0);
        REPORTED_SIGNALS.set(s, 0L, reportedSignals);
        RUNQ_THRESHOLD.set(s, 0L, runqThresholdNs);
        BLOCK_THRESHOLD.set(s, 0L, blockThresholdNs);
        CONNECT_THRESHOLD.set(s, 0L, connectThresholdNs);
        WAKEUP_BYTES.set(s, 0L, wakeupBytes);
    }
}
