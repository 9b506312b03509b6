package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.struct;

import java.lang.foreign.StructLayout;

/** A RST arrived on a socket past its SYN: {@code struct tapio_tcp_reset_event}. */
public record TcpReset(TcpEndpoints endpoints) implements EventPayload {
    static final StructLayout LAYOUT = struct(
            "tapio_tcp_reset_event", EventHeader.LAYOUT.withName("header"), TcpEndpoints.LAYOUT.withName("endpoints"));

    private static final long ENDPOINTS = Layouts.offset(LAYOUT, "endpoints");

    static TcpReset decode(KernelEvent e) {
        return new TcpReset(TcpEndpoints.decode(e, ENDPOINTS));
    }

    void encode(byte[] r) {
        endpoints.encode(r, ENDPOINTS);
    }
}
