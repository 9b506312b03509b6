package io.tapio.bench.node;

import io.tapio.testing.WorkloadCgroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Process and cgroup churn, as a busy node makes it: new cgroup v2 cgroups at a steady rate
 * under a parent of this benchmark's own ({@code tapio-churn-PID}), each living a few seconds
 * and running short-lived processes that succeed, exit non-zero, fail to open a file and fail to
 * connect to a closed loopback port, so that a watching Tapio meets new cgroup ids and new pids
 * all the time. Bounded: never more than twice the cgroups the rate keeps alive at once. Closing
 * it lets the cgroups alive live out their time and removes every cgroup it made; on Ctrl-C (a
 * shutdown hook) it kills what still runs at once.
 */
final class ChurnLoad implements AutoCloseable {
    /**
     * One cgroup's life, in bash: $1 a closed port, $2 seconds to live, $3 the exit status, $4 a
     * path that does not exist. Each child prints its pid, so that what ran is counted, not assumed.
     */
    private static final String SCRIPT = """
            cat /etc/hostname >/dev/null & echo $!; wait $!
            cat "$4" 2>/dev/null & echo $!; wait $!
            (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null & echo $!; wait $!
            sleep "$2" & echo $!; wait $!
            exit "$3"
            """;

    /** How long a cgroup's processes may outlive their time before they are killed. */
    private static final Duration OVERTIME = Duration.ofSeconds(30);

    private final int cgroupsPerMinute;
    private final Duration lifetime;
    private final Path dir;
    private final Path script;
    private final int closedPort;
    private final WorkloadCgroup parent;
    private final Semaphore room;
    private final Set<WorkloadCgroup> live = new HashSet<>();
    private final ExecutorService lives = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong cgroups = new AtomicLong();
    private final AtomicLong processes = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread pacer;
    private final Thread closeOnExit = new Thread(this::kill, "stop-churn");
    private boolean open = true;

    private ChurnLoad(int cgroupsPerMinute, Duration lifetime, Path dir) throws IOException {
        if (cgroupsPerMinute < 1 || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("churn needs at least one cgroup a minute, each living some time");
        }
        this.cgroupsPerMinute = cgroupsPerMinute;
        this.lifetime = lifetime;
        this.dir = Files.createDirectories(dir);
        this.script = Files.writeString(dir.resolve("churn.sh"), SCRIPT);
        this.closedPort = closedPort();
        this.room = new Semaphore(Math.max(4, (int) Math.ceil(2.0 * cgroupsPerMinute * lifetime.toMillis() / 60_000)));
        this.parent =
                WorkloadCgroup.create("tapio-churn-" + ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        this.pacer = Thread.ofPlatform().name("churn-pacer").daemon().start(this::pace);
    }

    /**
     * Starts making {@code cgroupsPerMinute} cgroups a minute, each living {@code lifetime}; its
     * script in {@code dir}, which its owner removes.
     */
    static ChurnLoad start(int cgroupsPerMinute, Duration lifetime, Path dir) throws IOException {
        return new ChurnLoad(cgroupsPerMinute, lifetime, dir);
    }

    /** The cgroup v2 directory every cgroup of the churn is made in. */
    Path parent() {
        return parent.path();
    }

    /** Cgroups made so far. */
    long cgroups() {
        return cgroups.get();
    }

    /** Processes started in them so far: each cgroup's main process and its children. */
    long processes() {
        return processes.get();
    }

    private void pace() {
        long interval = 60_000_000_000L / cgroupsPerMinute;
        long next = System.nanoTime();
        try {
            for (long n = 1; ; n++) {
                room.acquire();
                if (!makeCgroup(n)) {
                    return;
                }
                next = Math.max(next + interval, System.nanoTime());
                TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes cgroup {@code n} and starts its life; false once the churn is closed. */
    private boolean makeCgroup(long n) {
        WorkloadCgroup cgroup;
        synchronized (live) {
            if (!open) {
                return false;
            }
            cgroup = WorkloadCgroup.create(parent.path().getFileName() + "/c-" + n);
            live.add(cgroup);
            cgroups.incrementAndGet();
            lives.submit(() -> live(cgroup, n));
        }
        return true;
    }

    private void live(WorkloadCgroup cgroup, long n) {
        try {
            Process main = new ProcessBuilder(cgroup.wrap(String.join(
                            " ",
                            "/bin/bash",
                            script.toString(),
                            Integer.toString(closedPort),
                            Double.toString(lifetime.toMillis() / 1000.0),
                            Long.toString(n % 3),
                            dir.resolve("missing-" + n).toString())))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            processes.incrementAndGet();
            try (BufferedReader children =
                    new BufferedReader(new InputStreamReader(main.getInputStream(), StandardCharsets.US_ASCII))) {
                while (children.readLine() != null) {
                    processes.incrementAndGet();
                }
            }
            if (!main.waitFor(lifetime.plus(OVERTIME).toMillis(), TimeUnit.MILLISECONDS)) {
                main.destroyForcibly();
            }
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            end(cgroup);
        }
    }

    /** Stops what still runs in {@code cgroup} and removes it. */
    private void end(WorkloadCgroup cgroup) {
        try {
            cgroup.close();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            synchronized (live) {
                if (live.remove(cgroup)) {
                    room.release();
                }
            }
        }
    }

    /**
     * Stops making cgroups, lets those alive live out their time (killed if they overrun it),
     * and removes them and the parent.
     *
     * @throws IllegalStateException when a cgroup or a process of the churn could not be made or
     *     removed
     */
    @Override
    public void close() {
        stop(lifetime.plus(OVERTIME));
        try {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops what is already stopped
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the churn failed: " + failure.get().getMessage(), failure.get());
        }
    }

    /** On Ctrl-C: everything killed and removed at once. */
    private void kill() {
        stop(Duration.ZERO);
    }

    private void stop(Duration grace) {
        synchronized (live) {
            if (!open) {
                return;
            }
            open = false;
        }
        pacer.interrupt();
        lives.shutdown();
        try {
            pacer.join(OVERTIME.toMillis());
            if (!lives.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                List<WorkloadCgroup> alive;
                synchronized (live) {
                    alive = new ArrayList<>(live);
                }
                alive.forEach(this::end);
                if (!lives.awaitTermination(OVERTIME.toSeconds(), TimeUnit.SECONDS)) {
                    failure.compareAndSet(
                            null,
                            new IllegalStateException(
                                    "cgroups of the churn still live " + OVERTIME.toSeconds() + " s after their end"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            parent.close();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** A loopback port nothing listens on, for connects that are refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
