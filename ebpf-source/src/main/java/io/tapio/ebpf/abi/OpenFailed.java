package io.tapio.ebpf.abi;

import static io.tapio.ebpf.abi.Layouts.arrayField;
import static io.tapio.ebpf.abi.Layouts.chars;
import static io.tapio.ebpf.abi.Layouts.struct;
import static io.tapio.ebpf.abi.Layouts.u16;
import static io.tapio.ebpf.abi.Layouts.u32;

import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * openat(2) failed: {@code struct tapio_open_failed_event}. The path is as the process passed
 * it, relative paths included.
 *
 * <p>A payload decoded from a record keeps the record and decodes the path when it is first
 * asked for: of the failed opens a node makes, the job reads the path only of those that become
 * a failure's cause, a finding's evidence or a row of the history, and decoding it at once was a
 * seventh of what the job allocated per event under a load of failed opens.
 */
public final class OpenFailed implements EventPayload {
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

    private final int error;
    private final int flags;
    /** The event whose record holds the path; null for a payload made of values. */
    private final KernelEvent event;

    private final int pathLength;
    /** Decoded on first use; a race decodes twice, harmlessly. */
    private String path;

    /** @param error the errno, positive (2 is ENOENT, 13 EACCES) */
    public OpenFailed(int error, int flags, String path) {
        this.error = error;
        this.flags = flags;
        this.path = Objects.requireNonNull(path, "path");
        this.event = null;
        this.pathLength = 0;
    }

    private OpenFailed(int error, int flags, KernelEvent event, int pathLength) {
        this.error = error;
        this.flags = flags;
        this.event = event;
        this.pathLength = pathLength;
    }

    /**
     * Reads the payload of an event's record; the path is read from it when first asked for, so
     * a lent event's payload gives its path only while the event may be read.
     */
    static OpenFailed decode(KernelEvent e) {
        byte[] r = e.record();
        long at = e.base();
        int length = Math.min(Short.toUnsignedInt((short) PATH_LEN.get(r, at)), EventHeader.PATH_LEN - 1);
        return new OpenFailed((int) ERROR.get(r, at), (int) FLAGS.get(r, at), e, length);
    }

    void encode(byte[] r) {
        ERROR.set(r, 0L, error);
        FLAGS.set(r, 0L, flags);
        PATH_LEN.set(r, 0L, (short) Layouts.putString(r, PATH, EventHeader.PATH_LEN, path()));
    }

    /**
     * The errno of a failed open, read in place from its event's record: the correlator asks it
     * of every failed open, and needs the path of few.
     *
     * @throws IllegalArgumentException when the event is not a failed open
     */
    public static int errorOf(KernelEvent event) {
        if (event.type() != EventType.OPEN_FAILED) {
            throw new IllegalArgumentException(
                    "not a failed open: " + event.type().label());
        }
        return (int) ERROR.get(event.record(), event.base());
    }

    /** The errno, positive (2 is ENOENT, 13 EACCES). */
    public int error() {
        return error;
    }

    public int flags() {
        return flags;
    }

    public String path() {
        String decoded = path;
        if (decoded == null) {
            path = decoded = Layouts.string(event.record(), event.base() + PATH, pathLength);
        }
        return decoded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpenFailed other
                && error == other.error
                && flags == other.flags
                && path().equals(other.path());
    }

    @Override
    public int hashCode() {
        return Objects.hash(error, flags, path());
    }

    @Override
    public String toString() {
        return "OpenFailed[error=" + error + ", flags=" + flags + ", path=" + path() + "]";
    }
}
