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
 * An active TCP open finished: {@code struct tapio_tcp_connect_event}.
 *
 * @param latencyNs from the SYN to the outcome; 0 when the SYN was sent before Tapio started
 * @param error the socket's errno (111 is ECONNREFUSED); 0 when established
 */
public record TcpConnect(TcpEndpoints endpoints, long latencyNs, int error, ConnectOutcome outcome)
        implements EventPayload {
    static final StructLayout LAYOUT = struct(
            "tapio_tcp_connect_event",
            EventHeader.LAYOUT.withName("header"),
            TcpEndpoints.LAYOUT.withName("endpoints"),
            u64("latency_ns"),
            u32("error"),
            u8("outcome"),
            chars("pad", 3));

    private static final long ENDPOINTS = Layouts.offset(LAYOUT, "endpoints");
    private static final VarHandle LATENCY = arrayField(LAYOUT, "latency_ns");
    private static final VarHandle ERROR = arrayField(LAYOUT, "error");
    private static final VarHandle OUTCOME = arrayField(LAYOUT, "outcome");

    static TcpConnect decode(KernelEvent e) {
        byte[] r = e.record();
        long at = e.base();
        return new TcpConnect(
                TcpEndpoints.decode(e, ENDPOINTS),
                (long) LATENCY.get(r, at),
                (int) ERROR.get(r, at),
                ConnectOutcome.ofCode(Byte.toUnsignedInt((byte) OUTCOME.get(r, at))));
    }

    void encode(byte[] r) {
        endpoints.encode(r, ENDPOINTS);
        LATENCY.set(r, 0L, latencyNs);
        ERROR.set(r, 0L, error);
        OUTCOME.set(r, 0L, (byte) outcome.ordinal()); // ConnectOutcome's ordinals are the ABI's codes
    }
}
