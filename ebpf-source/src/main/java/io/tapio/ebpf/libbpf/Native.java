package io.tapio.ebpf.libbpf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/** Downcall plumbing shared by the libc and libbpf bindings. */
final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private Native() {}

    static MethodHandle downcall(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(
                symbol(lookup, name)
                        .orElseThrow(() -> new UnsatisfiedLinkError("native symbol " + name + " not found")),
                descriptor);
    }

    /**
     * A downcall whose first argument is a {@link #CALL_STATE} segment that receives errno,
     * for functions that report failure through it.
     */
    static MethodHandle downcallWithErrno(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(
                symbol(lookup, name)
                        .orElseThrow(() -> new UnsatisfiedLinkError("native symbol " + name + " not found")),
                descriptor,
                CAPTURE_ERRNO);
    }

    static Optional<MemorySegment> symbol(SymbolLookup lookup, String name) {
        return lookup.find(name);
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** Rethrows what a downcall threw; downcalls only throw unchecked exceptions or errors. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
