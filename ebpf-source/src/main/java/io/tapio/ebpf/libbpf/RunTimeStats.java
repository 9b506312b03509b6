package io.tapio.ebpf.libbpf;

/**
 * The kernel timing every BPF program's runs ({@link BpfProgram#runTime()}) while this is
 * open: the {@code BPF_ENABLE_STATS} command, whose file descriptor keeps the statistics on
 * only as long as it is open, so that a process that dies leaves them off. The sysctl
 * {@code kernel.bpf_stats_enabled} would stay changed. Each run of each program then costs two
 * clock reads more.
 */
public final class RunTimeStats implements AutoCloseable {
    /** {@code enum bpf_stats_type}'s {@code BPF_STATS_RUN_TIME}. */
    private static final int BPF_STATS_RUN_TIME = 0;

    private int fd;

    private RunTimeStats(int fd) {
        this.fd = fd;
    }

    /**
     * Turns the statistics on until {@link #close()}.
     *
     * @throws BpfException when the kernel refuses (before 5.8, or without CAP_SYS_ADMIN)
     */
    public static RunTimeStats enable() {
        int fd;
        try {
            fd = (int) LibBpf.get().enableStats.invokeExact(BPF_STATS_RUN_TIME);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (fd < 0) {
            throw new BpfException(
                    "the kernel refuses to time BPF programs (BPF_ENABLE_STATS): "
                            + LibBpf.get().errorMessage(fd) + " (errno " + -fd + ")",
                    -fd);
        }
        return new RunTimeStats(fd);
    }

    /** Turns them off again, unless someone else keeps them on. */
    @Override
    public synchronized void close() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }
}
