package io.tapio.ebpf.libbpf;

import java.lang.foreign.MemorySegment;

/**
 * An attached program. Closing detaches it. The kernel also detaches it when the process
 * exits, since the link is only held by a file descriptor and never pinned.
 */
public final class BpfLink implements AutoCloseable {
    private final String program;
    private MemorySegment link;

    BpfLink(String program, MemorySegment link) {
        this.program = program;
        this.link = link;
    }

    public String program() {
        return program;
    }

    public boolean attached() {
        return link != null;
    }

    @Override
    public synchronized void close() {
        if (link == null) {
            return;
        }
        try {
            int ignored = (int) LibBpf.get().linkDestroy.invokeExact(link);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            link = null;
        }
    }
}
