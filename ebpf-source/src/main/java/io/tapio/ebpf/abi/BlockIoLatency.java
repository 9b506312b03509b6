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
 * A block I/O request took longer than the threshold:
 * {@code struct tapio_block_io_latency_event}. The event's header is the submitter.
 *
 * @param device the kernel's dev_t: major in the high 12 bits of 32, minor in the low 20
 */
public record BlockIoLatency(long latencyNs, long sector, int bytes, int device, BlockOp op) implements EventPayload {
    static final StructLayout LAYOUT = struct(
            "tapio_block_io_latency_event",
            EventHeader.LAYOUT.withName("header"),
            u64("latency_ns"),
            u64("sector"),
            u32("bytes"),
            u32("dev"),
            u8("op"),
            chars("pad", 7));

    private static final VarHandle LATENCY = arrayField(LAYOUT, "latency_ns");
    private static final VarHandle SECTOR = arrayField(LAYOUT, "sector");
    private static final VarHandle BYTES = arrayField(LAYOUT, "bytes");
    private static final VarHandle DEV = arrayField(LAYOUT, "dev");
    private static final VarHandle OP = arrayField(LAYOUT, "op");

    /** The device as {@code major:minor}. */
    public String deviceName() {
        return (device >>> 20) + ":" + (device & 0xFFFFF);
    }

    static BlockIoLatency decode(KernelEvent e) {
        byte[] r = e.record();
        long at = e.base();
        return new BlockIoLatency(
                (long) LATENCY.get(r, at),
                (long) SECTOR.get(r, at),
                (int) BYTES.get(r, at),
                (int) DEV.get(r, at),
                BlockOp.ofCode(Byte.toUnsignedInt((byte) OP.get(r, at))));
    }

    void encode(byte[] r) {
        LATENCY.set(r, 0L, latencyNs);
        SECTOR.set(r, 0L, sector);
        BYTES.set(r, 0L, bytes);
        DEV.set(r, 0L, device);
        OP.set(r, 0L, (byte) op.ordinal()); // BlockOp's ordinals are the ABI's codes
    }
}
