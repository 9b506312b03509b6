package io.tapio.ebpf.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The running kernel's BTF ({@code /sys/kernel/btf/vmlinux}), to ask what the kernel has
 * before loading programs that need it.
 */
public final class KernelBtf implements AutoCloseable {
    private MemorySegment btf;

    private KernelBtf(MemorySegment btf) {
        this.btf = btf;
    }

    /** @throws BpfException when the kernel has no BTF */
    public static KernelBtf load() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            MemorySegment btf = (MemorySegment) LibBpf.get().loadVmlinuxBtf.invokeExact(state);
            if (btf.address() == 0) {
                int errno = Native.errno(state);
                throw new BpfException(
                        "cannot read the kernel's BTF: " + LibBpf.get().errorMessage(errno), errno);
            }
            return new KernelBtf(btf);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Whether the kernel has the BTF-enabled tracepoint {@code name} ({@code tp_btf/name}). */
    public boolean hasTracepoint(String name) {
        try (Arena arena = Arena.ofConfined()) {
            int id = (int) LibBpf.get()
                    .btfFindByNameKind
                    .invokeExact(btf, arena.allocateFrom("btf_trace_" + name), LibBpf.BTF_KIND_TYPEDEF);
            return id > 0;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @Override
    public void close() {
        if (btf != null) {
            try {
                LibBpf.get().btfFree.invokeExact(btf);
            } catch (Throwable t) {
                throw Native.rethrow(t);
            } finally {
                btf = null;
            }
        }
    }
}
