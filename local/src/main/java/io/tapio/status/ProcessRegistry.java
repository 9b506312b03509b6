package io.tapio.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Tapio's processes of this user that other commands look for while they run (a {@code tapio
 * run} for {@code tapio check}, a SQL service for {@code tapio sql}): one file per process,
 * named by its pid, holding a few lines that say where to reach it. A process removes its file
 * when it stops; a file whose process is gone (killed with SIGKILL) is removed by the next look.
 */
public final class ProcessRegistry {
    private final Path dir;

    public ProcessRegistry(Path dir) {
        this.dir = dir;
    }

    /**
     * This user's registry of one kind of process: {@code $XDG_RUNTIME_DIR/tapio}, else {@code
     * ~/.tapio/instances}, for runs (kind ""), a directory named after the kind beneath it for others.
     */
    public static ProcessRegistry forThisUser(String kind) {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path base = runtime != null && !runtime.isBlank()
                ? Path.of(runtime, "tapio")
                : Path.of(System.getProperty("user.home"), ".tapio", "instances");
        return new ProcessRegistry(kind.isEmpty() ? base : base.resolve(kind));
    }

    public void register(long pid, List<String> lines) {
        StatusStore.writeAtomically(file(pid), String.join("\n", lines) + "\n");
    }

    public void unregister(long pid) {
        try {
            Files.deleteIfExists(file(pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines each process that still runs registered, by pid. */
    public Map<Long, List<String>> list() {
        Map<Long, List<String>> running = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return running;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[0-9]+"))
                    .toList()) {
                long pid = Long.parseLong(file.getFileName().toString());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    running.put(pid, Files.readAllLines(file, StandardCharsets.UTF_8));
                } else {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // A file removed meanwhile: what could be read is the answer.
        }
        return running;
    }

    private Path file(long pid) {
        return dir.resolve(Long.toString(pid));
    }
}
