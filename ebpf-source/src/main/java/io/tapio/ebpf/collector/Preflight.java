package io.tapio.ebpf.collector;

import io.tapio.ebpf.libbpf.KernelBtf;
import io.tapio.ebpf.libbpf.LibC;
import io.tapio.ebpf.libbpf.NativeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything is loaded, that this machine and this process can run the BPF
 * programs, so that a missing piece is reported by name with its fix rather than as an
 * errno from deep inside libbpf.
 */
public final class Preflight {
    static final Path KERNEL_BTF = Path.of("/sys/kernel/btf/vmlinux");
    static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    private static final Path STATUS = Path.of("/proc/self/status");

    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    private Preflight() {}

    /**
     * Everything that can be checked before a job that reads this kernel starts: BTF, the
     * privileges, libbpf, tracefs (mounted if it is missing), in the order a fix is needed.
     *
     * @throws MissingRequirementException naming what is missing and how to get it
     * @throws io.tapio.ebpf.libbpf.MissingLibbpfException naming the package to install
     */
    public static void checkMachine() {
        checkKernelBtf();
        checkPrivileges();
        checkLibbpf();
        ensureTracefs();
    }

    /**
     * Loading and attaching tracing programs needs CAP_BPF and CAP_PERFMON (Linux 5.8+), or
     * CAP_SYS_ADMIN, which root has.
     */
    public static void checkPrivileges() {
        long effective = effectiveCapabilities();
        if (has(effective, CAP_SYS_ADMIN)) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (!has(effective, CAP_BPF)) {
            missing.add("CAP_BPF");
        }
        if (!has(effective, CAP_PERFMON)) {
            missing.add("CAP_PERFMON");
        }
        if (!missing.isEmpty()) {
            throw new MissingRequirementException("loading Tapio's BPF programs needs CAP_BPF and CAP_PERFMON "
                    + "(or root); this process lacks " + String.join(" and ", missing) + ". Run it as root "
                    + "(sudo ./tapio ...), or grant the capabilities: in Kubernetes, securityContext.capabilities.add: "
                    + "[BPF, PERFMON, SYS_RESOURCE]. Without them, './tapio run --source synthetic' runs the rest of "
                    + "the pipeline.");
        }
    }

    /**
     * libbpf is installed and can read the kernel's BTF.
     *
     * @throws io.tapio.ebpf.libbpf.MissingLibbpfException naming the package to install
     */
    public static void checkLibbpf() {
        KernelBtf.load().close();
    }

    /** CO-RE programs are relocated against the kernel's own type information. */
    public static void checkKernelBtf() {
        if (!Files.isReadable(KERNEL_BTF)) {
            throw new MissingRequirementException("this kernel has no BTF (" + KERNEL_BTF + " is missing): Tapio's "
                    + "CO-RE programs need a kernel built with CONFIG_DEBUG_INFO_BTF=y, which most distribution "
                    + "kernels since 5.4 are. Without it, './tapio run --source synthetic' runs the rest of the "
                    + "pipeline.");
        }
    }

    /**
     * Classic tracepoints (the syscall ones) are found through tracefs. Mounts it when it is
     * missing and this process may mount.
     *
     * @return where tracefs is mounted
     */
    public static Path ensureTracefs() {
        if (Files.isDirectory(TRACEFS.resolve("events"))) {
            return TRACEFS;
        }
        try {
            LibC.mount("nodev", TRACEFS.toString(), "tracefs");
        } catch (NativeException e) {
            throw new MissingRequirementException(
                    "tracefs is not mounted at " + TRACEFS + " and mounting it failed ("
                            + e.getMessage() + "): mount it with 'mount -t tracefs nodev " + TRACEFS + "', or in a "
                            + "container mount the host's " + TRACEFS + " into the same path",
                    e);
        }
        return TRACEFS;
    }

    static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(
                            line.substring("CapEff:".length()).trim(), 16);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS, e);
        }
        throw new IllegalStateException(STATUS + " has no CapEff line");
    }

    private static boolean has(long capabilities, int capability) {
        return (capabilities & (1L << capability)) != 0;
    }
}
