package io.tapio.ebpf.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
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
    private static final MethodHandle INDEX;

    static {
        try {
            PLUS = MethodHandles.lookup()
                    .findStatic(Long.class, "sum", MethodType.methodType(long.class, long.class, long.class));
            INDEX = MethodHandles.lookup()
                    .findStatic(Layouts.class, "index", MethodType.methodType(int.class, long.class, long.class));
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
     * A handle reading the member at {@code path} from a segment at a base offset (a record in
     * the ring, a BPF map's value). It asks the segment to hold the member, not the whole struct,
     * as the struct's own handle would.
     */
    public static VarHandle field(StructLayout layout, String... path) {
        VarHandle member = ((ValueLayout) layout.select(elements(path))).varHandle();
        return MethodHandles.filterCoordinates(
                member, 1, MethodHandles.insertArguments(PLUS, 1, layout.byteOffset(elements(path))));
    }

    /**
     * A handle reading and writing the member at {@code path} of a record held in a byte array,
     * at a base index (a {@code long}, as {@link #field}'s): an event's record is decoded and
     * encoded without a segment made for it (which escape analysis does not always remove).
     */
    public static VarHandle arrayField(StructLayout layout, String... path) {
        ValueLayout member = (ValueLayout) layout.select(elements(path));
        VarHandle view = member.carrier() == byte.class
                ? MethodHandles.arrayElementVarHandle(byte[].class)
                : MethodHandles.byteArrayViewVarHandle(member.carrier().arrayType(), member.order());
        return MethodHandles.filterCoordinates(view, 1, MethodHandles.insertArguments(INDEX, 1, offset(layout, path)));
    }

    private static int index(long base, long offset) {
        return Math.toIntExact(base + offset);
    }

    public static long offset(StructLayout layout, String... path) {
        return layout.byteOffset(elements(path));
    }

    private static PathElement[] elements(String... path) {
        return Arrays.stream(path).map(PathElement::groupElement).toArray(PathElement[]::new);
    }

    /** A NUL-terminated string of at most {@code capacity} bytes. */
    public static String cString(byte[] record, long offset, int capacity) {
        int from = Math.toIntExact(offset);
        int length = 0;
        while (length < capacity && record[from + length] != 0) {
            length++;
        }
        return SafeText.decode(record, from, length);
    }

    /**
     * A string whose length the record stores beside it. The kernel gives bytes: what is not
     * UTF-8 is kept as {@code \xNN} ({@link SafeText#decode}).
     */
    public static String string(byte[] record, long offset, int length) {
        return SafeText.decode(record, Math.toIntExact(offset), length);
    }

    /**
     * Writes {@code value} as the kernel's {@code bpf_probe_read_str} would: its UTF-8 bytes
     * cut to {@code capacity - 1}, then a NUL.
     *
     * @return the number of bytes before the NUL, for the records that store it
     */
    static int putString(byte[] record, long offset, int capacity, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, capacity - 1);
        int at = Math.toIntExact(offset);
        System.arraycopy(bytes, 0, record, at, length);
        record[at + length] = 0;
        return length;
    }
}
