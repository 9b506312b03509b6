package io.tapio.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real cgroup made to run a workload in (a benchmark's, a test's), optionally
 * memory-limited, removed on close with whatever still runs in it stopped; one left open is
 * removed at the JVM's exit, or by the next JVM that makes one if this one was killed
 * ({@link CgroupLedger}). Works with the hybrid layout (v1 controllers under
 * /sys/fs/cgroup/CONTROLLER, the v2 hierarchy at /sys/fs/cgroup/unified) and with a pure v2
 * hierarchy at /sys/fs/cgroup.
 */
public final class WorkloadCgroup implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final Path UNIFIED = ROOT.resolve("unified");
    private static final Path MEMORY_V1 = ROOT.resolve("memory");

    private final Path unified;
    private final Path memory; // the v1 memory cgroup, or null on a pure v2 hierarchy
    private final List<Path> created = new ArrayList<>();

    private WorkloadCgroup(String relativePath, long memoryLimitBytes) {
        boolean hybrid = Files.isDirectory(UNIFIED) && Files.exists(UNIFIED.resolve("cgroup.procs"));
        Path v2Root = hybrid ? UNIFIED : ROOT;
        unified = v2Root.resolve(relativePath);
        createDirectories(v2Root, unified);
        if (memoryLimitBytes <= 0) {
            memory = null;
        } else if (hybrid) {
            memory = MEMORY_V1.resolve(relativePath);
            createDirectories(MEMORY_V1, memory);
            write(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryLimitBytes));
        } else {
            memory = null;
            // The controller must be enabled in every ancestor down to the cgroup's parent.
            for (Path ancestor = v2Root;
                    !ancestor.equals(unified);
                    ancestor = ancestor.resolve(unified.getName(ancestor.getNameCount()))) {
                write(ancestor.resolve("cgroup.subtree_control"), "+memory");
            }
            write(unified.resolve("memory.max"), Long.toString(memoryLimitBytes));
        }
    }

    /** A cgroup at {@code relativePath} (kubelet-style names welcome) below the hierarchy's root. */
    public static WorkloadCgroup create(String relativePath) {
        return new WorkloadCgroup(relativePath, 0);
    }

    /** A cgroup with a memory limit, so that a process in it that uses more is OOM-killed. */
    public static WorkloadCgroup withMemoryLimit(long bytes) {
        return withMemoryLimit("tapio-workload-" + UUID.randomUUID(), bytes);
    }

    /**
     * A memory-limited cgroup at {@code relativePath} (kubelet-style names welcome): in the v2
     * hierarchy, and on a hybrid layout in the v1 memory controller as well, where the limit is.
     */
    public static WorkloadCgroup withMemoryLimit(String relativePath, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a memory limit is positive, not " + bytes);
        }
        return new WorkloadCgroup(relativePath, bytes);
    }

    public static WorkloadCgroup create() {
        return create("tapio-workload-" + UUID.randomUUID());
    }

    /** The cgroup v2 id: the inode number of its unified-hierarchy directory. */
    public long id() {
        try {
            return ((Number) Files.getAttribute(unified, "unix:ino")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return unified;
    }

    /**
     * A command that moves its shell into this cgroup and then execs {@code command}, so the
     * command runs inside from its first instruction.
     */
    public List<String> wrap(String command) {
        StringBuilder join = new StringBuilder("echo $$ > " + unified.resolve("cgroup.procs"));
        if (memory != null) {
            join.append(" && echo $$ > ").append(memory.resolve("cgroup.procs"));
        }
        return List.of("/bin/sh", "-c", join + " && exec " + command);
    }

    @Override
    public synchronized void close() {
        for (Path dir : created.reversed()) {
            remove(dir);
        }
        CgroupLedger.mine().removed(created);
        created.clear();
    }

    /**
     * Stops what runs in the cgroup at {@code dir} and removes it.
     *
     * @return how many processes were still running in it
     */
    static int remove(Path dir) {
        int stopped = killAll(dir);
        removeWhenEmpty(dir);
        return stopped;
    }

    private void createDirectories(Path root, Path dir) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; !p.equals(root) && !Files.exists(p); p = p.getParent()) {
            missing.addFirst(p);
        }
        CgroupLedger ledger = CgroupLedger.mine();
        for (Path p : missing) {
            ledger.made(List.of(p)); // before it exists: a kill between the two leaves nothing off the ledger
            try {
                Files.createDirectory(p);
            } catch (IOException e) {
                ledger.removed(List.of(p));
                throw new UncheckedIOException("cannot create cgroup " + p, e);
            }
            created.add(p);
        }
    }

    /**
     * SIGTERM first, SIGKILL only for what outlives it: a SIGKILL from here would itself be a
     * "killed by another process" for Tapio to report.
     */
    private static int killAll(Path dir) {
        List<ProcessHandle> running = new ArrayList<>();
        try {
            for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(running::add);
            }
        } catch (IOException e) {
            return 0; // already gone
        }
        running.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (ProcessHandle process : running) {
            try {
                process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        return running.size();
    }

    /** rmdir fails while a killed process is still exiting: retry for a while. */
    private static void removeWhenEmpty(Path dir) {
        for (int attempt = 0; attempt < 100 && Files.exists(dir); attempt++) {
            try {
                Files.delete(dir);
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (Files.exists(dir)) {
            throw new IllegalStateException("cgroup " + dir + " could not be removed: something still runs in it");
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value + " to " + file, e);
        }
    }
}
