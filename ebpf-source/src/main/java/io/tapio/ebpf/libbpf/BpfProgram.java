package io.tapio.ebpf.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A program of a {@link BpfObject}. */
public final class BpfProgram {
    private final MemorySegment program;
    private final String name;
    private final String section;

    BpfProgram(MemorySegment program) {
        this.program = program;
        LibBpf lib = LibBpf.get();
        try {
            this.name = ((MemorySegment) lib.programName.invokeExact(program))
                    .reinterpret(Long.MAX_VALUE)
                    .getString(0);
            this.section = ((MemorySegment) lib.programSectionName.invokeExact(program))
                    .reinterpret(Long.MAX_VALUE)
                    .getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public String name() {
        return name;
    }

    /** The ELF section, which says how it attaches: {@code tp_btf/sched_switch}, ... */
    public String section() {
        return section;
    }

    /** Whether {@link BpfObject#load()} loads it; only before loading. */
    public void setAutoload(boolean autoload) {
        try {
            int error = (int) LibBpf.get().programSetAutoload.invokeExact(program, autoload);
            if (error < 0) {
                throw new BpfException("cannot change autoload of program " + name + " (already loaded?)", -error);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public boolean autoload() {
        try {
            return (boolean) LibBpf.get().programAutoload.invokeExact(program);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Attaches it to another kernel function or BTF-enabled tracepoint than its section
     * names (a {@code tp_btf} program: the tracepoint's name); only before loading. The
     * verifier then checks it against that target's arguments.
     */
    public void setAttachTarget(String target) {
        try (Arena arena = Arena.ofConfined()) {
            int error = (int) LibBpf.get().programSetAttachTarget.invokeExact(program, 0, arena.allocateFrom(target));
            if (error < 0) {
                throw new BpfException(
                        "cannot attach program " + name + " to " + target + " instead of " + section + ": "
                                + LibBpf.get().errorMessage(error) + " (errno " + -error + ")",
                        -error);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Attaches the loaded program where its section says, or where {@link #setAttachTarget} said. */
    public BpfLink attach() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            MemorySegment link = (MemorySegment) LibBpf.get().programAttach.invokeExact(state, program);
            if (link.address() == 0) {
                int errno = Native.errno(state);
                throw new BpfException(
                        "attaching program " + name + " (" + section + ") failed: "
                                + LibBpf.get().errorMessage(errno) + " (errno " + errno + ")",
                        errno);
            }
            return new BpfLink(name, link);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @Override
    public String toString() {
        return name + " (" + section + ")";
    }
}
