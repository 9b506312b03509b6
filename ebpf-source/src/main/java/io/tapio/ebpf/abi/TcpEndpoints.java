package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.arrayField;
import static io.tapio.ebpf.abi.Layouts.chars;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u16;
import static io.tapio.ebpf.abi.Layouts.u8;

import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Both ends of a TCP socket: {@code struct tapio_tcp_endpoints}. Decoded from a record, each end
 * is read from the record when it is first asked for: most TCP events' ends are never looked at
 * (the rollups and most patterns read a connect's outcome and latency), and two socket addresses
 * made at every decode were about 200 bytes per TCP event, a sixth of the bytes the job allocated
 * replaying a capture. The event's record never changes; a lent event's ends are read only while
 * the event may be read.
 */
public final class TcpEndpoints {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    static final StructLayout LAYOUT = struct(
            "tapio_tcp_endpoints",
            u16("family"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN).withName("sport"),
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN).withName("dport"),
            u8("state"),
            u8("pad"),
            chars("saddr", 16),
            chars("daddr", 16));

    private static final VarHandle FAMILY = arrayField(LAYOUT, "family");
    private static final VarHandle SPORT = arrayField(LAYOUT, "sport");
    private static final VarHandle DPORT = arrayField(LAYOUT, "dport");
    private static final VarHandle STATE = arrayField(LAYOUT, "state");
    private static final long SADDR = Layouts.offset(LAYOUT, "saddr");
    private static final long DADDR = Layouts.offset(LAYOUT, "daddr");

    /** The event whose record the ends are read from, and where the struct starts in it; null for ends made from addresses. */
    private final KernelEvent event;

    private final long offset;
    private final TcpState state;
    private InetSocketAddress source;
    private InetSocketAddress destination;

    public TcpEndpoints(InetSocketAddress source, InetSocketAddress destination, TcpState state) {
        this.event = null;
        this.offset = 0;
        this.source = Objects.requireNonNull(source, "source");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.state = Objects.requireNonNull(state, "state");
    }

    private TcpEndpoints(KernelEvent event, long offset) {
        this.event = event;
        this.offset = offset;
        this.state = TcpState.ofCode(Byte.toUnsignedInt((byte) STATE.get(event.record(), event.base() + offset)));
    }

    /** The endpoints that start at {@code offset} of the event's record, read from it when asked for. */
    static TcpEndpoints decode(KernelEvent event, long offset) {
        return new TcpEndpoints(event, offset);
    }

    public InetSocketAddress source() {
        InetSocketAddress end = source;
        if (end == null) {
            source = end = end(SADDR, SPORT); // a race reads it twice, harmlessly
        }
        return end;
    }

    public InetSocketAddress destination() {
        InetSocketAddress end = destination;
        if (end == null) {
            destination = end = end(DADDR, DPORT);
        }
        return end;
    }

    public TcpState state() {
        return state;
    }

    private InetSocketAddress end(long address, VarHandle port) {
        byte[] record = event.record();
        long at = event.base() + offset;
        int length = Short.toUnsignedInt((short) FAMILY.get(record, at)) == AF_INET6 ? 16 : 4;
        return new InetSocketAddress(
                address(record, at + address, length), Short.toUnsignedInt((short) port.get(record, at)));
    }

    private static InetAddress address(byte[] r, long offset, int length) {
        int from = Math.toIntExact(offset);
        byte[] bytes = Arrays.copyOfRange(r, from, from + length);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /**
     * Writes the endpoints at {@code offset} of the record. A socket has one family: when either
     * end is IPv6 both are written as IPv6, an IPv4 end in its v4-mapped form, as the kernel
     * keeps a dual-stack socket.
     */
    void encode(byte[] r, long offset) {
        if (event != null) {
            System.arraycopy(
                    event.record(), Math.toIntExact(event.base() + this.offset), r, Math.toIntExact(offset), (int)
                            LAYOUT.byteSize());
            return;
        }
        boolean ipv6 = address(source) instanceof Inet6Address || address(destination) instanceof Inet6Address;
        FAMILY.set(r, offset, (short) (ipv6 ? AF_INET6 : AF_INET));
        SPORT.set(r, offset, (short) source.getPort());
        DPORT.set(r, offset, (short) destination.getPort());
        STATE.set(r, offset, (byte) state.ordinal()); // TcpState's ordinals are the kernel's numbers
        putAddress(r, offset + SADDR, address(source), ipv6);
        putAddress(r, offset + DADDR, address(destination), ipv6);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpEndpoints other
                && source().equals(other.source())
                && destination().equals(other.destination())
                && state == other.state;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source(), destination(), state);
    }

    @Override
    public String toString() {
        return "TcpEndpoints[source=" + source() + ", destination=" + destination() + ", state=" + state + "]";
    }

    private static InetAddress address(InetSocketAddress endpoint) {
        InetAddress address = endpoint.getAddress();
        if (address == null) {
            throw new IllegalArgumentException("a record holds addresses, not the unresolved " + endpoint);
        }
        return address;
    }

    private static void putAddress(byte[] r, long offset, InetAddress address, boolean ipv6) {
        byte[] bytes = address.getAddress();
        if (ipv6 && bytes.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        System.arraycopy(bytes, 0, r, Math.toIntExact(offset), bytes.length);
    }
}
