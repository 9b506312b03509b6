package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.arrayField;
import static io.tapio.ebpf.abi.Layouts.chars;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u16;
import static io.tapio.ebpf.abi.Layouts.u32;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * openat(2) failed: {@code struct tapio_open_failed_event}. The path is as the process passed
 * it, relative paths included.
 *
 * @param error the errno, positive (2 is ENOENT, 13 EACCES)
 */
public record OpenFailed(int error, int flags, String path) implements EventPayload {
    public static final int ENOENT = 2;
    public static final int EACCES = 13;

    static final StructLayout LAYOUT = struct(
            "tapio_open_failed_event",
            EventHeader.LAYOUT.withName("header"),
            u32("error"),
            u32("flags"),
            u16("path_len"),
            chars("pad", 6),
            chars("path", EventHeader.PATH_LEN));

    private static final VarHandle ERROR = arrayField(LAYOUT, "error");
    private static final VarHandle FLAGS = arrayField(LAYOUT, "flags");
    private static final VarHandle PATH_LEN = arrayField(LAYOUT, "path_len");
    private static final long PATH = Layouts.offset(LAYOUT, "path");

    static OpenFailed decode(byte[] r) {
        int length = Math.min(Short.toUnsignedInt((short) PATH_LEN.get(r, 0L)), EventHeader.PATH_LEN - 1);
        return new OpenFailed((int) ERROR.get(r, 0L), (int) FLAGS.get(r, 0L), Layouts.string(r, PATH, length));
    }

    void encode(byte[] r) {
        ERROR.set(r, 0L, error);
        FLAGS.set(r, 0L, flags);
        PATH_LEN.set(r, 0L, (short) Layouts.putString(r, PATH, EventHeader.PATH_LEN, path));
    }
}
