package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.arrayField;
import static io.tapio.ebpf.abi.Layouts.chars;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u32;
import static io.tapio.ebpf.abi.Layouts.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The OOM killer chose a victim: {@code struct tapio_oom_kill_event}. The event's header is
 * the victim; this payload names the task whose allocation triggered the kill and the
 * nearest memory cgroup with a limit (all zero for a system-wide OOM).
 */
public record OomKill(
        int triggerPid,
        int triggerTid,
        String triggerComm,
        long memcgId,
        long memcgLimitBytes,
        long memcgUsageBytes,
        long victimTotalVmBytes)
        implements EventPayload {
    static final StructLayout LAYOUT = struct(
            "tapio_oom_kill_event",
            EventHeader.LAYOUT.withName("header"),
            u32("trigger_pid"),
            u32("trigger_tid"),
            chars("trigger_comm", EventHeader.COMM_LEN),
            u64("memcg_id"),
            u64("memcg_limit_bytes"),
            u64("memcg_usage_bytes"),
            u64("victim_total_vm_bytes"));

    private static final VarHandle TRIGGER_PID = arrayField(LAYOUT, "trigger_pid");
    private static final VarHandle TRIGGER_TID = arrayField(LAYOUT, "trigger_tid");
    private static final long TRIGGER_COMM = Layouts.offset(LAYOUT, "trigger_comm");
    private static final VarHandle MEMCG_ID = arrayField(LAYOUT, "memcg_id");
    private static final VarHandle MEMCG_LIMIT = arrayField(LAYOUT, "memcg_limit_bytes");
    private static final VarHandle MEMCG_USAGE = arrayField(LAYOUT, "memcg_usage_bytes");
    private static final VarHandle TOTAL_VM = arrayField(LAYOUT, "victim_total_vm_bytes");

    /** Killed because a memory cgroup hit its limit, rather than the whole node running out. */
    public boolean cgroupLimited() {
        return memcgLimitBytes != 0;
    }

    static OomKill decode(KernelEvent e) {
        byte[] r = e.record();
        long at = e.base();
        return new OomKill(
                (int) TRIGGER_PID.get(r, at),
                (int) TRIGGER_TID.get(r, at),
                Layouts.cString(r, at + TRIGGER_COMM, EventHeader.COMM_LEN),
                (long) MEMCG_ID.get(r, at),
                (long) MEMCG_LIMIT.get(r, at),
                (long) MEMCG_USAGE.get(r, at),
                (long) TOTAL_VM.get(r, at));
    }

    void encode(byte[] r) {
        TRIGGER_PID.set(r, 0L, triggerPid);
        TRIGGER_TID.set(r, 0L, triggerTid);
        Layouts.putString(r, TRIGGER_COMM, EventHeader.COMM_LEN, triggerComm);
        MEMCG_ID.set(r, 0L, memcgId);
        MEMCG_LIMIT.set(r, 0L, memcgLimitBytes);
        MEMCG_USAGE.set(r, 0L, memcgUsageBytes);
        TOTAL_VM.set(r, 0L, victimTotalVmBytes);
    }
}
