package io.tapio.ebpf.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * libbpf's C API, bound by hand through {@code java.lang.foreign}: the functions Tapio uses,
 * with their C signatures. libbpf 1.x returns {@code -errno} from functions returning int and
 * sets errno when a function returning a pointer returns NULL.
 *
 * <p>The library is looked up once; when it is missing, every use fails with
 * {@link MissingLibbpfException}, which says how to install it.
 */
final class LibBpf {
    static final String LIBRARY = "libbpf.so.1";
    static final int BTF_KIND_TYPEDEF = 8;

    private static volatile LibBpf instance;

    final MethodHandle setPrint;
    final MethodHandle objectOpenMem;
    final MethodHandle objectLoad;
    final MethodHandle objectClose;
    final MethodHandle objectFindMapByName;
    final MethodHandle objectNextProgram;
    final MethodHandle programName;
    final MethodHandle programSectionName;
    final MethodHandle programSetAutoload;
    final MethodHandle programAutoload;
    final MethodHandle programSetAttachTarget;
    final MethodHandle programAttach;
    final MethodHandle programFd;
    final MethodHandle linkDestroy;
    final MethodHandle mapFd;
    final MethodHandle mapSetMaxEntries;
    final MethodHandle mapMaxEntries;
    final MethodHandle mapUpdateElem;
    final MethodHandle mapLookupElem;
    final MethodHandle mapDeleteElem;
    final MethodHandle mapGetNextKey;
    final MethodHandle numPossibleCpus;
    final MethodHandle loadVmlinuxBtf;
    final MethodHandle btfFindByNameKind;
    final MethodHandle btfFree;
    final MethodHandle ringBufferNew;
    final MethodHandle ringBufferConsume;
    final MethodHandle ringBufferPoll;
    final MethodHandle ringBufferFree;
    final MethodHandle strerror;
    final MethodHandle enableStats;
    final MethodHandle objectGetInfoByFd;

    private LibBpf(SymbolLookup lib) {
        setPrint = Native.downcall(lib, "libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
        objectOpenMem = Native.downcallWithErrno(
                lib, "bpf_object__open_mem", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        objectLoad = Native.downcall(lib, "bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        objectClose = Native.downcall(lib, "bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
        objectFindMapByName =
                Native.downcall(lib, "bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        objectNextProgram =
                Native.downcall(lib, "bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        programName = Native.downcall(lib, "bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programSectionName = Native.downcall(lib, "bpf_program__section_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programSetAutoload = Native.downcall(
                lib, "bpf_program__set_autoload", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
        programAutoload = Native.downcall(lib, "bpf_program__autoload", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        programSetAttachTarget = Native.downcall(
                lib, "bpf_program__set_attach_target", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        programAttach = Native.downcallWithErrno(lib, "bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programFd = Native.downcall(lib, "bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        linkDestroy = Native.downcall(lib, "bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapFd = Native.downcall(lib, "bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapSetMaxEntries =
                Native.downcall(lib, "bpf_map__set_max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        mapMaxEntries = Native.downcall(lib, "bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapUpdateElem = Native.downcall(
                lib, "bpf_map_update_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        mapLookupElem = Native.downcall(
                lib, "bpf_map_lookup_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapDeleteElem = Native.downcall(lib, "bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        mapGetNextKey = Native.downcall(
                lib, "bpf_map_get_next_key", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        numPossibleCpus = Native.downcall(lib, "libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
        loadVmlinuxBtf = Native.downcallWithErrno(lib, "btf__load_vmlinux_btf", FunctionDescriptor.of(ADDRESS));
        btfFindByNameKind = Native.downcall(
                lib, "btf__find_by_name_kind", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        btfFree = Native.downcall(lib, "btf__free", FunctionDescriptor.ofVoid(ADDRESS));
        ringBufferNew = Native.downcallWithErrno(
                lib, "ring_buffer__new", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        ringBufferConsume = Native.downcall(lib, "ring_buffer__consume", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        ringBufferPoll = Native.downcall(lib, "ring_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        ringBufferFree = Native.downcall(lib, "ring_buffer__free", FunctionDescriptor.ofVoid(ADDRESS));
        strerror =
                Native.downcall(lib, "libbpf_strerror", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
        enableStats = Native.downcall(lib, "bpf_enable_stats", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        // bpf_prog_get_info_by_fd came with libbpf 1.2; this older name serves every 1.x.
        objectGetInfoByFd = Native.downcall(
                lib, "bpf_obj_get_info_by_fd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        installPrintCallback();
    }

    /** The bound library, loading it on first use. */
    static LibBpf get() {
        LibBpf lib = instance;
        if (lib == null) {
            synchronized (LibBpf.class) {
                lib = instance;
                if (lib == null) {
                    instance = lib = new LibBpf(lookup(LIBRARY));
                }
            }
        }
        return lib;
    }

    static SymbolLookup lookup(String library) {
        try {
            return SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new MissingLibbpfException(library, e);
        }
    }

    /** Routes libbpf's messages, the verifier's log among them, to {@link LibbpfLog}. */
    private void installPrintCallback() {
        try {
            MethodHandle target = MethodHandles.lookup()
                    .findStatic(
                            LibbpfLog.class,
                            "print",
                            MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = Native.LINKER.upcallStub(
                    target, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            MemorySegment ignored = (MemorySegment) setPrint.invokeExact(stub);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** libbpf's message for a negative error code, which may be one of its own (4000+). */
    String errorMessage(int error) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256);
            int ignored = (int) strerror.invokeExact(Math.abs(error), buffer, buffer.byteSize());
            return buffer.getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
