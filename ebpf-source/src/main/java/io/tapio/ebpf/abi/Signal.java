package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.arrayField;
import static io.tapio.ebpf.abi.Layouts.chars;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u32;
import static io.tapio.ebpf.abi.Layouts.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * A signal that kills or stops its target was sent: {@code struct tapio_signal_event}. The
 * event's header is the target; this payload is the sender.
 *
 * @param code the siginfo code: {@link #SI_USER} for kill(2), {@link #SI_KERNEL} for the
 *     kernel itself (the OOM killer, a fault)
 */
public record Signal(int senderPid, int senderTid, String senderComm, long senderCgroupId, int signal, int code)
        implements EventPayload {
    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;

    static final StructLayout LAYOUT = struct(
            "tapio_signal_event",
            EventHeader.LAYOUT.withName("header"),
            u32("sender_pid"),
            u32("sender_tid"),
            chars("sender_comm", EventHeader.COMM_LEN),
            u64("sender_cgroup_id"),
            u32("signal"),
            u32("code"));

    private static final VarHandle SENDER_PID = arrayField(LAYOUT, "sender_pid");
    private static final VarHandle SENDER_TID = arrayField(LAYOUT, "sender_tid");
    private static final long SENDER_COMM = Layouts.offset(LAYOUT, "sender_comm");
    private static final VarHandle SENDER_CGROUP = arrayField(LAYOUT, "sender_cgroup_id");
    private static final VarHandle SIGNAL = arrayField(LAYOUT, "signal");
    private static final VarHandle CODE = arrayField(LAYOUT, "code");

    /** Sent by the kernel rather than by a process calling kill(2). */
    public boolean fromKernel() {
        return code == SI_KERNEL;
    }

    static Signal decode(KernelEvent e) {
        byte[] r = e.record();
        long at = e.base();
        return new Signal(
                (int) SENDER_PID.get(r, at),
                (int) SENDER_TID.get(r, at),
                Layouts.cString(r, at + SENDER_COMM, EventHeader.COMM_LEN),
                (long) SENDER_CGROUP.get(r, at),
                (int) SIGNAL.get(r, at),
                (int) CODE.get(r, at));
    }

    void encode(byte[] r) {
        SENDER_PID.set(r, 0L, senderPid);
        SENDER_TID.set(r, 0L, senderTid);
        Layouts.putString(r, SENDER_COMM, EventHeader.COMM_LEN, senderComm);
        SENDER_CGROUP.set(r, 0L, senderCgroupId);
        SIGNAL.set(r, 0L, signal);
        CODE.set(r, 0L, code);
    }
}
