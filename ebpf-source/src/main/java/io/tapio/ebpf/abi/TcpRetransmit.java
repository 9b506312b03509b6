package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.arrayField;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u32;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** A TCP segment was retransmitted: {@code struct tapio_tcp_retransmit_event}. */
public record TcpRetransmit(TcpEndpoints endpoints, int totalRetransmits) implements EventPayload {
    static final StructLayout LAYOUT = struct(
            "tapio_tcp_retransmit_event",
            EventHeader.LAYOUT.withName("header"),
            TcpEndpoints.LAYOUT.withName("endpoints"),
            u32("total_retrans"),
            u32("pad"));

    private static final long ENDPOINTS = Layouts.offset(LAYOUT, "endpoints");
    private static final VarHandle TOTAL_RETRANS = arrayField(LAYOUT, "total_retrans");

    static TcpRetransmit decode(KernelEvent e) {
        byte[] r = e.record();
        long at = e.base();
        return new TcpRetransmit(TcpEndpoints.decode(e, ENDPOINTS), (int) TOTAL_RETRANS.get(r, at));
    }

    void encode(byte[] r) {
        endpoints.encode(r, ENDPOINTS);
        TOTAL_RETRANS.set(r, 0L, totalRetransmits);
    }
}
