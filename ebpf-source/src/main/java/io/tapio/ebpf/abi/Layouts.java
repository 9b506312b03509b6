package io.tapio.ebpf.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Helpers for declaring the ABI's C structs as {@link StructLayout}s and reading them.
 *
 * <p>Every layout uses the unaligned value layouts: records are read both from the ring
 * (8-byte aligned) and from {@code byte[]} copies (byte aligned), and one set of
 * {@link VarHandle}s must serve both. C's padding is therefore spelled out as explicit
 * {@code pad} members on both sides, and AbiCompatibilityTest holds the offsets to the
 * compiled object's BTF.
 */
public final class Layouts {
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    private static final MethodHandle PLUS;

    static {
        try {
            PLUS = MethodHandles.lookup()
                    .findStatic(Long.class, "sum", MethodType.methodType(long.class, long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Layouts() {}

    public static MemoryLayout u8(String name) {
        return U8.withName(name);
    }

    public static MemoryLayout u16(String name) {
        return U16.withName(name);
    }

    public static MemoryLayout u32(String name) {
        return U32.withName(name);
    }

    public static MemoryLayout u64(String name) {
        return U64.withName(name);
    }

    public static MemoryLayout chars(String name, int length) {
        return MemoryLayout.sequenceLayout(length, U8).withName(name);
    }

    public static StructLayout struct(String name, MemoryLayout... members) {
        return MemoryLayout.structLayout(members).withName(name);
    }

    /**
     * A handle reading the member at {@code path} from a segment at a base offset. It asks the
     * segment to hold the member, not the whole struct, as the struct's own handle would: a
     * record kept up to its path's NUL is shorter than its struct ({@link KernelEvent}).
     */
    public static VarHandle field(StructLayout layout, String... path) {
        VarHandle member = ((ValueLayout) layout.select(elements(path))).varHandle();
        return MethodHandles.filterCoordinates(
                member, 1, MethodHandles.insertArguments(PLUS, 1, layout.byteOffset(elements(path))));
    }

    /**
     * A handle reading the member at {@code path} from a record held in a byte array, the
     * record at index 0: an event's header fields are read without a segment made for the read
     * (which escape analysis does not always remove).
     */
    public static VarHandle arrayField(StructLayout layout, String... path) {
        ValueLayout member = (ValueLayout) layout.select(elements(path));
        VarHandle view = member.carrier() == byte.class
                ? MethodHandles.arrayElementVarHandle(byte[].class)
                : MethodHandles.byteArrayViewVarHandle(member.carrier().arrayType(), member.order());
        return MethodHandles.insertCoordinates(view, 1, Math.toIntExact(offset(layout, path)));
    }

    public static long offset(StructLayout layout, String... path) {
        return layout.byteOffset(elements(path));
    }

    private static PathElement[] elements(String... path) {
        return Arrays.stream(path).map(PathElement::groupElement).toArray(PathElement[]::new);
    }

    /** A NUL-terminated string of at most {@code capacity} bytes. */
    public static String cString(MemorySegment segment, long offset, int capacity) {
        int length = 0;
        while (length < capacity && segment.get(U8, offset + length) != 0) {
            length++;
        }
        return string(segment, offset, length);
    }

    /**
     * A string whose length the record stores beside it, bounded by the array's size. The kernel
     * gives bytes: what is not UTF-8 is kept as {@code \xNN} ({@link SafeText#decode}).
     */
    public static String string(MemorySegment segment, long offset, int length) {
        if (segment.heapBase().orElse(null) instanceof byte[] array) {
            // an event's own record: straight from its array, without a copy in between
            return SafeText.decode(array, Math.toIntExact(segment.address() + offset), length);
        }
        byte[] bytes = new byte[length];
        MemorySegment.copy(segment, U8, offset, bytes, 0, length);
        return SafeText.decode(bytes, 0, length);
    }

    /**
     * Writes {@code value} as the kernel's {@code bpf_probe_read_str} would: its UTF-8 bytes
     * cut to {@code capacity - 1}, then a NUL.
     *
     * @return the number of bytes before the NUL, for the records that store it
     */
    static int putString(MemorySegment segment, long offset, int capacity, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, capacity - 1);
        MemorySegment.copy(bytes, 0, segment, U8, offset, length);
        segment.set(U8, offset + length, (byte) 0);
        return length;
    }
}
