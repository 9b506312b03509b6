package io.tapio.ebpf.collector;

import io.tapio.ebpf.libbpf.KernelBtf;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tracepoints of the kernel this process runs on: its BTF ({@code /sys/kernel/btf/vmlinux})
 * and tracefs, which is mounted when first asked about and missing.
 */
final class RunningKernel implements KernelTracepoints, AutoCloseable {
    private final KernelBtf btf = KernelBtf.load();
    private Path tracefs;

    @Override
    public boolean hasBtfTracepoint(String name) {
        return btf.hasTracepoint(name);
    }

    @Override
    public boolean hasTracefsEvent(String event) {
        if (tracefs == null) {
            tracefs = Preflight.ensureTracefs();
        }
        return Files.isDirectory(tracefs.resolve("events").resolve(event));
    }

    @Override
    public void close() {
        btf.close();
    }
}
