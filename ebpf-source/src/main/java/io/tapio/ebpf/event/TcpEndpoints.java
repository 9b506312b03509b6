package io.tapio.ebpf.event;

import static io.tapio.ebpf.event.Layouts.chars;
import static io.tapio.ebpf.event.Layouts.field;
import static io.tapio.ebpf.event.Layouts.struct;
import static io.tapio.ebpf.event.Layouts.u16;
import static io.tapio.ebpf.event.Layouts.u8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/** Both ends of a TCP socket: {@code struct tapio_tcp_endpoints}. */
public record TcpEndpoints(InetSocketAddress source, InetSocketAddress destination, TcpState state) {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    static final StructLayout LAYOUT = struct("tapio_tcp_endpoints",
            u16("family"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN).withName("sport"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN).withName("dport"),
            u8("state"),
            u8("pad"),
            chars("saddr", 16),
            chars("daddr", 16));

    private static final VarHandle FAMILY = field(LAYOUT, "family");
    private static final VarHandle SPORT = field(LAYOUT, "sport");
    private static final VarHandle DPORT = field(LAYOUT, "dport");
    private static final VarHandle STATE = field(LAYOUT, "state");
    private static final long SADDR = Layouts.offset(LAYOUT, "saddr");
    private static final long DADDR = Layouts.offset(LAYOUT, "daddr");

    /** Decodes the endpoints that start at {@code offset} of the record. */
    static TcpEndpoints decode(MemorySegment r, long offset) {
        int length = Short.toUnsignedInt((short) FAMILY.get(r, offset)) == AF_INET6 ? 16 : 4;
        return new TcpEndpoints(
                new InetSocketAddress(address(r, offset + SADDR, length), Short.toUnsignedInt((short) SPORT.get(r, offset))),
                new InetSocketAddress(address(r, offset + DADDR, length), Short.toUnsignedInt((short) DPORT.get(r, offset))),
                TcpState.ofCode(Byte.toUnsignedInt((byte) STATE.get(r, offset))));
    }

    private static InetAddress address(MemorySegment r, long offset, int length) {
        byte[] bytes = r.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
