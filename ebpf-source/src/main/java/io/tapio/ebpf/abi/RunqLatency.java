package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.arrayField;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u64;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** A task waited for a CPU longer than the threshold: {@code struct tapio_runq_latency_event}. */
public record RunqLatency(long latencyNs) implements EventPayload {
    static final StructLayout LAYOUT =
            struct("tapio_runq_latency_event", EventHeader.LAYOUT.withName("header"), u64("latency_ns"));

    private static final VarHandle LATENCY = arrayField(LAYOUT, "latency_ns");

    static RunqLatency decode(KernelEvent e) {
        byte[] r = e.record();
        long at = e.base();
        return new RunqLatency((long) LATENCY.get(r, at));
    }

    void encode(byte[] r) {
        LATENCY.set(r, 0L, latencyNs);
    }
}
