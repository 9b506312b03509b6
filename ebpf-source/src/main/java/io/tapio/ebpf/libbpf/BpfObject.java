package io.tapio.ebpf.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A BPF ELF object opened with libbpf: its programs and maps. Open, adjust (autoload, map
 * sizes), {@link #load()}, attach programs, and close, which unloads everything.
 */
public final class BpfObject implements AutoCloseable {
    private final String name;
    private final Arena arena;
    private final List<BpfProgram> programs;
    private MemorySegment object;

    private BpfObject(String name, Arena arena, MemorySegment object) {
        this.name = name;
        this.arena = arena;
        this.object = object;
        this.programs = List.copyOf(listPrograms(object));
    }

    /**
     * Opens an object from its ELF bytes (as built into a jar).
     *
     * @throws MissingLibbpfException when libbpf is not installed
     * @throws BpfException when libbpf cannot parse the object
     */
    public static BpfObject open(String name, byte[] elf) {
        LibBpf lib = LibBpf.get();
        Arena arena = Arena.ofShared();
        try {
            // libbpf reads the ELF from this buffer until the object is loaded: it lives in the arena.
            MemorySegment buffer = arena.allocate(elf.length, 8);
            MemorySegment.copy(elf, 0, buffer, ValueLayout.JAVA_BYTE, 0, elf.length);
            MemorySegment opts = arena.allocate(16, 8); // struct bpf_object_open_opts { sz; object_name; }
            opts.set(ValueLayout.JAVA_LONG, 0, opts.byteSize());
            opts.set(ValueLayout.ADDRESS, 8, arena.allocateFrom(name));
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            LibbpfLog.Captured<MemorySegment> opened = LibbpfLog.capture(() -> {
                try {
                    return (MemorySegment) lib.objectOpenMem.invokeExact(state, buffer, (long) elf.length, opts);
                } catch (Throwable t) {
                    throw Native.rethrow(t);
                }
            });
            if (opened.result().address() == 0) {
                int errno = Native.errno(state);
                throw new BpfLoadException(
                        name, errno, "libbpf cannot open it: " + lib.errorMessage(errno), opened.log());
            }
            return new BpfObject(name, arena, opened.result());
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public List<BpfProgram> programs() {
        return programs;
    }

    public BpfProgram program(String programName) {
        return programs.stream()
                .filter(p -> p.name().equals(programName))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("object " + name + " has no program " + programName));
    }

    public BpfMap map(String mapName) {
        MemorySegment map;
        try {
            map = (MemorySegment) LibBpf.get().objectFindMapByName.invokeExact(open(), arena.allocateFrom(mapName));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (map.address() == 0) {
            throw new NoSuchElementException("object " + name + " has no map " + mapName);
        }
        return new BpfMap(map, mapName);
    }

    /**
     * Creates the maps and loads the programs into the kernel.
     *
     * @throws BpfLoadException with libbpf's and the verifier's messages when it fails
     */
    public void load() {
        LibbpfLog.Captured<Integer> loaded = LibbpfLog.capture(() -> {
            try {
                return (int) LibBpf.get().objectLoad.invokeExact(open());
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
        });
        int error = loaded.result();
        if (error < 0) {
            throw new BpfLoadException(name, -error, LibBpf.get().errorMessage(error), loaded.log());
        }
    }

    private MemorySegment open() {
        if (object == null) {
            throw new IllegalStateException("BPF object " + name + " is closed");
        }
        return object;
    }

    /** Unloads the programs and frees the maps; attached links must be closed first. */
    @Override
    public synchronized void close() {
        if (object == null) {
            return;
        }
        try {
            LibBpf.get().objectClose.invokeExact(object);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            object = null;
            arena.close();
        }
    }

    private static List<BpfProgram> listPrograms(MemorySegment object) {
        List<BpfProgram> result = new ArrayList<>();
        MemorySegment previous = MemorySegment.NULL;
        while (true) {
            MemorySegment next;
            try {
                next = (MemorySegment) LibBpf.get().objectNextProgram.invokeExact(object, previous);
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
            if (next.address() == 0) {
                return result;
            }
            result.add(new BpfProgram(next));
            previous = next;
        }
    }
}
