package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.arrayField;
import static io.tapio.ebpf.abi.Layouts.chars;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u32;
import static io.tapio.ebpf.abi.Layouts.u64;
import static io.tapio.ebpf.abi.Layouts.u8;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The last thread of a process exited: {@code struct tapio_exit_event}.
 *
 * @param exitStatus the status passed to exit(2); 0 when a signal ended the process
 * @param signal the terminating signal, 0 for a normal exit
 * @param origin what the process was to its workload: its main process, a helper, a visitor
 */
public record Exit(
        int ppid, int exitStatus, int signal, boolean coreDumped, ExitOrigin origin, long lifetimeNs, long maxRssBytes)
        implements EventPayload {
    static final StructLayout LAYOUT = struct(
            "tapio_exit_event",
            EventHeader.LAYOUT.withName("header"),
            u32("ppid"),
            u32("exit_status"),
            u32("signal"),
            u8("core_dumped"),
            u8("origin"),
            chars("pad", 2),
            u64("lifetime_ns"),
            u64("max_rss_bytes"));

    private static final VarHandle PPID = arrayField(LAYOUT, "ppid");
    private static final VarHandle EXIT_STATUS = arrayField(LAYOUT, "exit_status");
    private static final VarHandle SIGNAL = arrayField(LAYOUT, "signal");
    private static final VarHandle CORE_DUMPED = arrayField(LAYOUT, "core_dumped");
    private static final VarHandle ORIGIN = arrayField(LAYOUT, "origin");
    private static final VarHandle LIFETIME = arrayField(LAYOUT, "lifetime_ns");
    private static final VarHandle MAX_RSS = arrayField(LAYOUT, "max_rss_bytes");

    /** Ended by a signal or with a non-zero status. */
    public boolean abnormal() {
        return signal != 0 || exitStatus != 0;
    }

    static Exit decode(KernelEvent e) {
        byte[] r = e.record();
        long at = e.base();
        return new Exit(
                (int) PPID.get(r, at),
                (int) EXIT_STATUS.get(r, at),
                (int) SIGNAL.get(r, at),
                (byte) CORE_DUMPED.get(r, at) != 0,
                ExitOrigin.ofCode(Byte.toUnsignedInt((byte) ORIGIN.get(r, at))),
                (long) LIFETIME.get(r, at),
                (long) MAX_RSS.get(r, at));
    }

    void encode(byte[] r) {
        PPID.set(r, 0L, ppid);
        EXIT_STATUS.set(r, 0L, exitStatus);
        SIGNAL.set(r, 0L, signal);
        CORE_DUMPED.set(r, 0L, (byte) (coreDumped ? 1 : 0));
        ORIGIN.set(r, 0L, (byte) origin.ordinal());
        LIFETIME.set(r, 0L, lifetimeNs);
        MAX_RSS.set(r, 0L, maxRssBytes);
    }
}
