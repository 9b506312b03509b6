package io.tapio.ebpf.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The last member of a record, a NUL-terminated string whose length the record stores beside
 * it (a path). The bytes after the NUL are zeros the program wrote: most of a 256-byte buffer
 * for a short path, so an event keeps its record up to the NUL and no further.
 *
 * @param lengthOffset where the string's length (u16, NUL not counted) is in the record
 * @param textOffset where the string starts
 * @param capacity the string's buffer, NUL included
 */
record TrailingText(long lengthOffset, long textOffset, int capacity) {
    private static final VarHandle U16_IN_ARRAY =
            MethodHandles.byteArrayViewVarHandle(short[].class, Layouts.U16.order());

    TrailingText {
        if (lengthOffset >= textOffset) {
            throw new IllegalArgumentException("the length must come before the text it measures");
        }
    }

    /** The string {@code textField} measured by {@code lengthField}, which must end the record's layout. */
    static TrailingText of(StructLayout layout, String lengthField, String textField) {
        long text = Layouts.offset(layout, textField);
        long capacity =
                layout.select(MemoryLayout.PathElement.groupElement(textField)).byteSize();
        if (text + capacity != layout.byteSize()) {
            throw new IllegalArgumentException(
                    textField + " is not the last member of " + layout.name().orElse("?"));
        }
        return new TrailingText(Layouts.offset(layout, lengthField), text, (int) capacity);
    }

    /** The least a record with this text may keep: everything before it and its NUL. */
    int minimumSize() {
        return (int) textOffset + 1;
    }

    /**
     * The bytes of the record at {@code record} up to and including the text's NUL; the record
     * is at least {@link #minimumSize()} long. A length beyond the buffer counts as the buffer's.
     */
    int usedSize(MemorySegment segment, long record) {
        return usedSize(Short.toUnsignedInt(segment.get(Layouts.U16, record + lengthOffset)));
    }

    /** {@link #usedSize(MemorySegment, long)} of a record at {@code at} of an array. */
    int usedSize(byte[] record, long at) {
        return usedSize(Short.toUnsignedInt((short) U16_IN_ARRAY.get(record, Math.toIntExact(at + lengthOffset))));
    }

    private int usedSize(int length) {
        return (int) textOffset + Math.min(length, capacity - 1) + 1;
    }
}
