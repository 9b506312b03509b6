package io.tapio.ebpf.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** The few libc functions Tapio needs: memory mapping, epoll, errors, formatting. */
public final class LibC {
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int EPOLLIN = 0x001;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EINTR = 4;
    private static final int SC_PAGESIZE = 30;
    /** struct epoll_event: 12 bytes packed on x86-64, 16 elsewhere; room for one either way. */
    private static final long EPOLL_EVENT_BYTES = 16;
    /** Where the event sits in {@link #epollScratch}: after errno, 8-byte aligned. */
    private static final long EPOLL_EVENT_OFFSET = 8;

    private static final SymbolLookup LIBC = Native.LINKER.defaultLookup();
    private static final MethodHandle MMAP = Native.downcallWithErrno(
            LIBC, "mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP =
            Native.downcall(LIBC, "munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = Native.downcall(LIBC, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 =
            Native.downcallWithErrno(LIBC, "epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = Native.downcallWithErrno(
            LIBC, "epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = Native.downcallWithErrno(
            LIBC, "epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD =
            Native.downcallWithErrno(LIBC, "eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle WRITE =
            Native.downcall(LIBC, "write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle READ =
            Native.downcall(LIBC, "read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MOUNT = Native.downcallWithErrno(
            LIBC, "mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle SYSCONF =
            Native.downcall(LIBC, "sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle STRERROR =
            Native.downcall(LIBC, "strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle VSNPRINTF =
            Native.downcall(LIBC, "vsnprintf", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));

    private LibC() {}

    public static long pageSize() {
        try {
            return (long) SYSCONF.invokeExact(SC_PAGESIZE);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Maps {@code length} bytes of {@code fd} at {@code offset}. The mapping lives as long as
     * {@code owner}: closing that arena unmaps it, and any later access fails with an
     * exception rather than a crash.
     */
    public static MemorySegment mmap(long length, int prot, int fd, long offset, Arena owner) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            MemorySegment address =
                    (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset);
            if (address.address() == -1L) {
                throw new NativeException("mmap of " + length + " bytes", Native.errno(state));
            }
            return address.reinterpret(length, owner, mapping -> munmap(mapping, length));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void munmap(MemorySegment mapping, long length) {
        try {
            int ignored = (int) MUNMAP.invokeExact(mapping, length);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** An epoll instance watching each of {@code fds} for input. */
    public static int epollFor(int... fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            int epfd = (int) EPOLL_CREATE1.invokeExact(state, EPOLL_CLOEXEC);
            if (epfd < 0) {
                throw new NativeException("epoll_create1", Native.errno(state));
            }
            MemorySegment event = arena.allocate(EPOLL_EVENT_BYTES);
            event.set(JAVA_INT, 0, EPOLLIN);
            for (int fd : fds) {
                if ((int) EPOLL_CTL.invokeExact(state, epfd, EPOLL_CTL_ADD, fd, event) < 0) {
                    int errno = Native.errno(state);
                    close(epfd);
                    throw new NativeException("epoll_ctl", errno);
                }
            }
            return epfd;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A non-blocking eventfd(2): a counter other threads can make readable, to end an epoll wait. */
    public static int eventfd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            int fd = (int) EVENTFD.invokeExact(state, 0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (fd < 0) {
                throw new NativeException("eventfd", Native.errno(state));
            }
            return fd;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Makes the eventfd {@code fd} readable. */
    public static void eventfdSignal(int fd, MemorySegment scratch) {
        try {
            scratch.set(JAVA_LONG, 0, 1L);
            long ignored = (long) WRITE.invokeExact(fd, scratch, 8L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Resets the eventfd {@code fd} (non-blocking: nothing happens if it was not signalled). */
    public static void eventfdClear(int fd, MemorySegment scratch) {
        try {
            long ignored = (long) READ.invokeExact(fd, scratch, 8L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for the epoll instance to report input.
     *
     * @param scratch {@link #epollScratch(Arena)}, reused across calls
     * @return whether input was reported (false on timeout or interruption)
     */
    public static boolean epollWait(int epfd, MemorySegment scratch, int timeoutMillis) {
        try {
            int n = (int) EPOLL_WAIT.invokeExact(scratch, epfd, scratch.asSlice(EPOLL_EVENT_OFFSET), 1, timeoutMillis);
            if (n < 0 && Native.errno(scratch) != EINTR) {
                throw new NativeException("epoll_wait", Native.errno(scratch));
            }
            return n > 0;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Memory for {@link #epollWait}: the errno capture followed by one event. */
    public static MemorySegment epollScratch(Arena arena) {
        return arena.allocate(EPOLL_EVENT_OFFSET + EPOLL_EVENT_BYTES, 8);
    }

    /** mount(2) with no flags and no data. */
    public static void mount(String source, String target, String fileSystemType) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            int result = (int) MOUNT.invokeExact(
                    state,
                    arena.allocateFrom(source),
                    arena.allocateFrom(target),
                    arena.allocateFrom(fileSystemType),
                    0L,
                    MemorySegment.NULL);
            if (result < 0) {
                throw new NativeException(
                        "mount -t " + fileSystemType + " " + source + " " + target, Native.errno(state));
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            return message.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Formats a printf-style {@code format} with a C {@code va_list} into {@code buffer}. */
    public static String vformat(MemorySegment buffer, MemorySegment format, MemorySegment vaList) {
        try {
            int ignored = (int) VSNPRINTF.invokeExact(buffer, buffer.byteSize(), format, vaList);
            return buffer.getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
