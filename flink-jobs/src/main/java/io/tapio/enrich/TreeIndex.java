package io.tapio.enrich;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where opening cgroups by id is not allowed: an index of every directory of the hierarchy
 * by inode number (= cgroup id), rebuilt by walking it in the background, periodically and
 * soon after a lookup missed. A walk stats every cgroup on the node, so it never runs on the
 * caller's thread and at most once per {@link #MIN_INTERVAL}.
 */
final class TreeIndex implements CgroupLookup {
    static final Duration MIN_INTERVAL = Duration.ofMillis(200);
    private static final Duration PERIOD = Duration.ofSeconds(10);

    private final Path root;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean scanQueued = new AtomicBoolean();
    private volatile Map<Long, String> index = Map.of();
    private volatile long lastScanNanos;

    TreeIndex(Path root, ScheduledExecutorService executor) {
        this.root = root;
        this.executor = executor;
        scan();
        executor.scheduleWithFixedDelay(this::scan, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Answer find(long cgroupId) {
        String path = index.get(cgroupId);
        if (path != null) {
            return Answer.at(path);
        }
        scanSoon();
        return Answer.NOT_YET;
    }

    /** Queues one walk, no sooner than {@link #MIN_INTERVAL} after the last. */
    private void scanSoon() {
        if (scanQueued.compareAndSet(false, true)) {
            long wait = Math.max(0, lastScanNanos + MIN_INTERVAL.toNanos() - System.nanoTime());
            executor.schedule(
                    () -> {
                        scanQueued.set(false);
                        scan();
                    },
                    wait,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void scan() {
        Map<Long, String> found = new HashMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    found.put(
                            ((Number) Files.getAttribute(dir, "unix:ino")).longValue(),
                            UnifiedHierarchy.relative(root, dir));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // removed while walking: it is gone, not an error
                }
            });
        } catch (IOException e) {
            return; // the root itself failed: keep the last index
        }
        index = Map.copyOf(found);
        lastScanNanos = System.nanoTime();
    }

    @Override
    public String describe() {
        return "an index of " + root + " walked every " + PERIOD.toSeconds() + " s and after misses";
    }

    @Override
    public void close() {
        // the walks run on the resolver's executor, which the resolver shuts down
    }
}
