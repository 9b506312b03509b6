package io.tapio.enrich;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a cgroup directly by its id, in a few microseconds and without walking the
 * hierarchy: cgroup2 exports its directories as file handles whose 8 bytes are the cgroup
 * id (handle type FILEID_KERNFS), so {@code open_by_handle_at} finds the directory and
 * {@code /proc/self/fd} names its path. A removed cgroup answers ESTALE, for good.
 *
 * <p>Needs CAP_DAC_READ_SEARCH (root has it); {@link #open} says when it is missing.
 */
public final class HandleLookup implements CgroupLookup {
    private static final Logger LOG = LoggerFactory.getLogger(HandleLookup.class);
    private static final int FILEID_KERNFS = 0xfe;
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int ESTALE = 116;

    /** struct file_handle with the 8 bytes of a kernfs id. */
    private static final StructLayout HANDLE = MemoryLayout.structLayout(
            JAVA_INT.withName("handle_bytes"), JAVA_INT.withName("handle_type"), JAVA_LONG.withName("id"));

    private static final VarHandle HANDLE_BYTES =
            HANDLE.varHandle(MemoryLayout.PathElement.groupElement("handle_bytes"));
    private static final VarHandle HANDLE_TYPE = HANDLE.varHandle(MemoryLayout.PathElement.groupElement("handle_type"));
    private static final VarHandle HANDLE_ID = HANDLE.varHandle(MemoryLayout.PathElement.groupElement("id"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle OPEN_BY_HANDLE_AT =
            downcall("open_by_handle_at", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Path root;
    private final int mountFd;

    private HandleLookup(Path root, int mountFd) {
        this.root = root;
        this.mountFd = mountFd;
    }

    /**
     * A lookup in the hierarchy mounted at {@code root}, when this process may open cgroups by
     * handle there; else empty, with the reason logged.
     */
    public static Optional<HandleLookup> open(Path root) {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            fd = (int) OPEN.invokeExact(state, arena.allocateFrom(root.toString()), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                LOG.warn("Cannot open the cgroup hierarchy at {}: errno {}", root, errno(state));
                return Optional.empty();
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
        HandleLookup lookup = new HandleLookup(root, fd);
        // Probe with the root's own id: the first lookup tells whether handles work here at all.
        try {
            long rootId = ((Number) Files.getAttribute(root, "unix:ino")).longValue();
            int probe = lookup.openById(rootId);
            if (probe >= 0) {
                closeFd(probe);
                return Optional.of(lookup);
            }
            LOG.warn(
                    "Cannot open cgroups by id in {} (errno {}{}); falling back to an index of the hierarchy "
                            + "refreshed in the background",
                    root,
                    -probe,
                    -probe == EPERM ? ": CAP_DAC_READ_SEARCH is missing" : "");
        } catch (IOException e) {
            LOG.warn("Cannot read the id of {}: {}", root, e.toString());
        }
        lookup.close();
        return Optional.empty();
    }

    @Override
    public Answer find(long cgroupId) {
        int fd = openById(cgroupId);
        if (fd < 0) {
            return -fd == ESTALE || -fd == ENOENT ? Answer.GONE : Answer.NOT_YET;
        }
        try {
            Path directory = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
            return Answer.at(
                    directory.startsWith(root) ? UnifiedHierarchy.relative(root, directory) : directory.toString());
        } catch (IOException e) {
            return Answer.NOT_YET;
        } finally {
            closeFd(fd);
        }
    }

    /** The cgroup's directory opened, or minus the errno of the failure. */
    private int openById(long cgroupId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = arena.allocate(HANDLE);
            HANDLE_BYTES.set(handle, 0L, Long.BYTES);
            HANDLE_TYPE.set(handle, 0L, FILEID_KERNFS);
            HANDLE_ID.set(handle, 0L, cgroupId);
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN_BY_HANDLE_AT.invokeExact(state, mountFd, handle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            return fd >= 0 ? fd : -errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String describe() {
        return "cgroups opened by id (open_by_handle_at) in " + root;
    }

    @Override
    public void close() {
        closeFd(mountFd);
    }

    private static void closeFd(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(
                LINKER.defaultLookup().find(name).orElseThrow(), descriptor, Linker.Option.captureCallState("errno"));
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
