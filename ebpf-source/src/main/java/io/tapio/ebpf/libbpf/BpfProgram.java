package io.tapio.ebpf.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A program of a {@link BpfObject}. */
public final class BpfProgram {
    /*
     * struct bpf_prog_info (linux/bpf.h) up to run_cnt, which came with 5.1; the kernel only
     * appends to it and fills as many bytes as it is given.
     */
    private static final long INFO_RUN_TIME_NS = 192;
    private static final long INFO_RUN_CNT = 200;
    private static final int INFO_BYTES = 208;

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

    /**
     * How often the loaded program ran and for how long, as far as the kernel counted: only
     * while {@link RunTimeStats} are enabled.
     */
    public ProgramRunTime runTime() {
        try (Arena arena = Arena.ofConfined()) {
            LibBpf lib = LibBpf.get();
            int fd = (int) lib.programFd.invokeExact(program);
            if (fd < 0) {
                throw new BpfException("program " + name + " has no file descriptor (not loaded?)", -fd);
            }
            MemorySegment info = arena.allocate(INFO_BYTES, 8);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, INFO_BYTES);
            int error = (int) lib.objectGetInfoByFd.invokeExact(fd, info, length);
            if (error < 0) {
                throw new BpfException(
                        "cannot read program " + name + "'s info: " + lib.errorMessage(error) + " (errno " + -error
                                + ")",
                        -error);
            }
            if (length.get(ValueLayout.JAVA_INT, 0) < INFO_BYTES) {
                throw new BpfException("this kernel does not count program runs (before 5.1)", 0);
            }
            return new ProgramRunTime(
                    info.get(ValueLayout.JAVA_LONG, INFO_RUN_CNT), info.get(ValueLayout.JAVA_LONG, INFO_RUN_TIME_NS));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @Override
    public String toString() {
        return name + " (" + section + ")";
    }
}
