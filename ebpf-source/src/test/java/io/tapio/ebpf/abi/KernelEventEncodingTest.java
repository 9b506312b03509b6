package io.tapio.ebpf.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KernelEventEncodingTest {
    private static final EventSubject SUBJECT =
            new EventSubject(123_456_789_012L, 3, 4242, 4243, 0x1_0000_0001L, "payments");

    static List<EventPayload> payloads() {
        TcpEndpoints ipv4 =
                new TcpEndpoints(endpoint("10.244.1.7", 40_112), endpoint("10.96.0.10", 5432), TcpState.CLOSE);
        TcpEndpoints ipv6 =
                new TcpEndpoints(endpoint("fd00::7", 51_000), endpoint("fd00:10::1", 443), TcpState.ESTABLISHED);
        return List.of(
                new Exec(1, "/usr/local/bin/payments"),
                new Exit(1, 0, 9, true, ExitOrigin.VISITOR, 2_000_000_000L, 268_435_456L),
                new OomKill(4242, 4250, "payments", 77L, 268_435_456L, 268_431_360L, 402_653_184L),
                new Signal(800, 801, "kubelet", 2L, 15, Signal.SI_USER),
                new OpenFailed(OpenFailed.ENOENT, 0x80000, "/etc/config/app.yaml"),
                new TcpConnect(ipv4, 85_000L, 111, ConnectOutcome.REFUSED),
                new TcpConnect(ipv6, 61_000_000L, 0, ConnectOutcome.ESTABLISHED),
                new TcpReset(ipv4),
                new TcpRetransmit(ipv6, 3),
                new RunqLatency(12_500_000L),
                new BlockIoLatency(75_000_000L, 123_456_789L, 65_536, 259 << 20 | 1, BlockOp.WRITE));
    }

    @Test
    void theExamplesCoverEveryType() {
        Set<EventType> covered = payloads().stream().map(EventType::of).collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(EventType.class), covered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void encodesAndDecodesBack(EventPayload payload) {
        KernelEvent event = KernelEvent.of(SUBJECT, payload);

        assertEquals(EventType.of(payload), event.type());
        assertEquals(keptSize(payload), event.size());
        assertEquals(SUBJECT, event.subject());
        assertEquals(payload, event.payload());
        assertEquals(payload.hashCode(), event.payload().hashCode());
        assertEquals(payload.toString(), event.payload().toString());
        assertEquals(event, KernelEvent.of(event.toByteArray()));
        // A decoded payload (whose TCP ends are read from the record when asked) writes the same record.
        assertArrayEquals(
                event.toByteArray(), KernelEvent.of(SUBJECT, event.payload()).toByteArray());
    }

    /** An event gives its payload to the class its type carries and null to every other. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void givesItsPayloadOnlyToTheClassItsTypeCarries(EventPayload payload) {
        KernelEvent event = KernelEvent.of(SUBJECT, payload);

        for (EventPayload other : payloads()) {
            EventPayload given = event.payloadIf(other.getClass());
            if (other.getClass() == payload.getClass()) {
                assertEquals(payload, given);
            } else {
                assertNull(
                        given,
                        other.getClass().getSimpleName() + " of " + event.type().label());
            }
        }
        if (payload instanceof OpenFailed open) {
            assertEquals(open.error(), OpenFailed.errorOf(event), "a failed open's errno, read in place");
        } else {
            assertThrows(IllegalArgumentException.class, () -> OpenFailed.errorOf(event));
        }
    }

    @Test
    void keepsARecordThatEndsInAPathUpToThePathsNul() {
        KernelEvent open = KernelEvent.of(SUBJECT, new OpenFailed(OpenFailed.ENOENT, 0, "/etc/app.yaml"));
        byte[] whole = Arrays.copyOf(open.toByteArray(), EventType.OPEN_FAILED.size()); // as the ring holds it

        assertEquals(Layouts.offset(OpenFailed.LAYOUT, "path") + "/etc/app.yaml".length() + 1, open.size());
        assertEquals(open, KernelEvent.of(whole));
        assertEquals(open, KernelEvent.copyOf(MemorySegment.ofArray(whole), 0, whole.length));
        assertEquals(
                open.size(),
                KernelEvent.copyOf(MemorySegment.ofArray(whole), 0, whole.length)
                        .size());
        // Cut anywhere else, it is not a record: the stored length decides.
        assertMalformed(Malformation.SIZE_MISMATCH, Arrays.copyOf(whole, open.size() - 1));
        assertMalformed(Malformation.SIZE_MISMATCH, Arrays.copyOf(whole, open.size() + 1));
        assertMalformed(
                Malformation.SIZE_MISMATCH, Arrays.copyOf(whole, (int) Layouts.offset(OpenFailed.LAYOUT, "path") - 1));
    }

    @Test
    void writesTheHeaderAsTheKernelDoes() {
        MemorySegment r = MemorySegment.ofArray(
                KernelEvent.of(SUBJECT, new RunqLatency(1)).toByteArray());

        assertEquals(EventHeader.MAGIC, EventHeader.magic(r, 0));
        assertEquals(EventHeader.ABI_VERSION, EventHeader.version(r, 0));
        assertEquals(EventType.RUNQ_LATENCY.code(), EventHeader.typeCode(r, 0));
        assertEquals(EventType.RUNQ_LATENCY.size(), EventHeader.size(r, 0));
    }

    @Test
    void keepsPortsInNetworkOrderAndIpv4InTheFirstFourBytes() {
        TcpEndpoints endpoints =
                new TcpEndpoints(endpoint("10.244.1.7", 0x1234), endpoint("10.96.0.10", 0xABCD), TcpState.SYN_SENT);
        byte[] record = KernelEvent.of(SUBJECT, new TcpReset(endpoints)).toByteArray();
        int at = (int) Layouts.offset(TcpReset.LAYOUT, "endpoints");

        assertEquals(TcpEndpoints.AF_INET, family(record, at));
        assertArrayEquals(
                new byte[] {0x12, 0x34, (byte) 0xAB, (byte) 0xCD, (byte) TcpState.SYN_SENT.ordinal()},
                Arrays.copyOfRange(record, at + 2, at + 7));
        assertArrayEquals(
                bytes(10, 244, 1, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                slice(record, at + Layouts.offset(TcpEndpoints.LAYOUT, "saddr"), 16));
        assertArrayEquals(
                bytes(10, 96, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                slice(record, at + Layouts.offset(TcpEndpoints.LAYOUT, "daddr"), 16));
    }

    @Test
    void writesAnIpv4EndOfAnIpv6SocketV4Mapped() {
        TcpEndpoints mixed = new TcpEndpoints(endpoint("::", 0), endpoint("10.96.0.10", 80), TcpState.SYN_SENT);
        byte[] record = KernelEvent.of(SUBJECT, new TcpReset(mixed)).toByteArray();
        int at = (int) Layouts.offset(TcpReset.LAYOUT, "endpoints");

        assertEquals(TcpEndpoints.AF_INET6, family(record, at));
        assertArrayEquals(
                bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 96, 0, 10),
                slice(record, at + Layouts.offset(TcpEndpoints.LAYOUT, "daddr"), 16));
        assertEquals(new TcpReset(mixed), KernelEvent.of(record).payload());
    }

    @Test
    void truncatesOverLongStringsAndKeepsTheirNul() {
        String longPath = "/" + "x".repeat(EventHeader.PATH_LEN + 40);
        String longComm = "a-very-long-process-name";
        KernelEvent event = KernelEvent.of(
                new EventSubject(1, 0, 1, 1, 1, longComm), new OpenFailed(OpenFailed.ENOENT, 0, longPath));
        byte[] record = event.toByteArray();
        long path = Layouts.offset(OpenFailed.LAYOUT, "path");
        long comm = Layouts.offset(EventHeader.LAYOUT, "comm");

        assertEquals(
                longPath.substring(0, EventHeader.PATH_LEN - 1),
                event.payload(OpenFailed.class).path());
        assertEquals(
                EventHeader.PATH_LEN - 1,
                Short.toUnsignedInt(
                        MemorySegment.ofArray(record).get(Layouts.U16, Layouts.offset(OpenFailed.LAYOUT, "path_len"))));
        assertEquals(0, record[(int) path + EventHeader.PATH_LEN - 1]);
        assertEquals(longComm.substring(0, EventHeader.COMM_LEN - 1), event.comm());
        assertEquals(0, record[(int) comm + EventHeader.COMM_LEN - 1]);

        Signal signal =
                KernelEvent.of(SUBJECT, new Signal(1, 1, longComm, 0, 9, 0)).payload(Signal.class);
        assertEquals(longComm.substring(0, EventHeader.COMM_LEN - 1), signal.senderComm());
        Exec exec = KernelEvent.of(SUBJECT, new Exec(1, longPath)).payload(Exec.class);
        assertEquals(longPath.substring(0, EventHeader.PATH_LEN - 1), exec.filename());
    }

    @Test
    void storesTheLengthOfAStringBesideIt() {
        byte[] record = KernelEvent.of(SUBJECT, new Exec(1, "/bin/true")).toByteArray();

        assertEquals(
                "/bin/true".length(),
                MemorySegment.ofArray(record).get(Layouts.U16, Layouts.offset(Exec.LAYOUT, "filename_len")));
        assertEquals(0, record[(int) Layouts.offset(Exec.LAYOUT, "filename") + "/bin/true".length()]);
    }

    @Test
    void rejectsARecordWithAWrongMagic() {
        assertMalformed(Malformation.BAD_MAGIC, corrupted(r -> r.set(Layouts.U16, header("magic"), (short) 0x1234)));
    }

    @Test
    void rejectsARecordOfAnotherAbiVersion() {
        assertMalformed(
                Malformation.BAD_VERSION,
                corrupted(r -> r.set(Layouts.U8, header("version"), (byte) (EventHeader.ABI_VERSION + 1))));
    }

    @Test
    void rejectsARecordOfAnUnknownType() {
        assertMalformed(Malformation.UNKNOWN_TYPE, corrupted(r -> r.set(Layouts.U8, header("type"), (byte) 0)));
        assertMalformed(
                Malformation.UNKNOWN_TYPE,
                corrupted(r -> r.set(Layouts.U8, header("type"), (byte) EventType.CODE_LIMIT)));
    }

    @Test
    void rejectsARecordWhoseSizeIsNotItsTypes() {
        assertMalformed(Malformation.SIZE_MISMATCH, corrupted(r -> r.set(Layouts.U16, header("size"), (short) 8)));
        assertMalformed(
                Malformation.SIZE_MISMATCH,
                corrupted(r -> r.set(Layouts.U8, header("type"), (byte) EventType.EXEC.code())));
        byte[] record = KernelEvent.of(SUBJECT, new RunqLatency(1)).toByteArray();
        assertMalformed(Malformation.SIZE_MISMATCH, Arrays.copyOf(record, record.length + 8));
        assertMalformed(Malformation.TRUNCATED, Arrays.copyOf(record, EventHeader.SIZE - 1));
    }

    @Test
    void aSubjectsCpuMustFitTheHeader() {
        assertThrows(IllegalArgumentException.class, () -> new EventSubject(0, 0x1_0000, 1, 1, 1, "x"));
        assertThrows(IllegalArgumentException.class, () -> new EventSubject(0, -1, 1, 1, 1, "x"));
    }

    /** The bytes an event keeps of its record: up to the NUL of the path a record ends in. */
    private static long keptSize(EventPayload payload) {
        return switch (payload) {
            case OpenFailed open ->
                Layouts.offset(OpenFailed.LAYOUT, "path") + open.path().length() + 1;
            case Exec exec ->
                Layouts.offset(Exec.LAYOUT, "filename") + exec.filename().length() + 1;
            default -> EventType.of(payload).size();
        };
    }

    private static void assertMalformed(Malformation expected, byte[] record) {
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> KernelEvent.of(record));
        assertEquals(expected, e.malformation());
    }

    /** A well-formed run-queue record, then changed. */
    private static byte[] corrupted(Consumer<MemorySegment> change) {
        byte[] record = KernelEvent.of(SUBJECT, new RunqLatency(1)).toByteArray();
        change.accept(MemorySegment.ofArray(record));
        return record;
    }

    private static long header(String field) {
        return Layouts.offset(EventHeader.LAYOUT, field);
    }

    private static int family(byte[] record, long endpoints) {
        return MemorySegment.ofArray(record)
                .get(Layouts.U16, endpoints + Layouts.offset(TcpEndpoints.LAYOUT, "family"));
    }

    private static InetSocketAddress endpoint(String address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] slice(byte[] record, long offset, int length) {
        return Arrays.copyOfRange(record, (int) offset, (int) offset + length);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
