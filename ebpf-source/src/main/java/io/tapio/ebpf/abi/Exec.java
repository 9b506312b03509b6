package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.arrayField;
import static io.tapio.ebpf.abi.Layouts.chars;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u16;
import static io.tapio.ebpf.abi.Layouts.u32;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** A process replaced its image: {@code struct tapio_exec_event}. */
public record Exec(int ppid, String filename) implements EventPayload {
    static final StructLayout LAYOUT = struct(
            "tapio_exec_event",
            EventHeader.LAYOUT.withName("header"),
            u32("ppid"),
            u16("filename_len"),
            u16("pad"),
            chars("filename", EventHeader.PATH_LEN));

    private static final VarHandle PPID = arrayField(LAYOUT, "ppid");
    private static final VarHandle FILENAME_LEN = arrayField(LAYOUT, "filename_len");
    private static final long FILENAME = Layouts.offset(LAYOUT, "filename");

    static Exec decode(KernelEvent e) {
        byte[] r = e.record();
        long at = e.base();
        int length = Math.min(Short.toUnsignedInt((short) FILENAME_LEN.get(r, at)), EventHeader.PATH_LEN - 1);
        return new Exec((int) PPID.get(r, at), Layouts.string(r, at + FILENAME, length));
    }

    void encode(byte[] r) {
        PPID.set(r, 0L, ppid);
        FILENAME_LEN.set(r, 0L, (short) Layouts.putString(r, FILENAME, EventHeader.PATH_LEN, filename));
    }
}
