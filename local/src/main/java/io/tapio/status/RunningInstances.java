package io.tapio.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every Tapio this user runs, whatever {@code --data-dir} it was started with, so that {@code
 * tapio check} finds it: one file per process in {@code $XDG_RUNTIME_DIR/tapio}, else {@code
 * ~/.tapio/instances}. A run removes its file when it stops; a file whose process is gone (a
 * run killed with SIGKILL) is removed by the next look.
 */
public final class RunningInstances {
    private final Path dir;

    /** A running instance and the data directory it keeps its state in. */
    public record Running(StatusStore.Instance instance, Path dataDir) {}

    public RunningInstances(Path dir) {
        this.dir = dir;
    }

    public static RunningInstances forThisUser() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return new RunningInstances(
                runtime != null && !runtime.isBlank()
                        ? Path.of(runtime, "tapio")
                        : Path.of(System.getProperty("user.home"), ".tapio", "instances"));
    }

    public void register(StatusStore.Instance instance, Path dataDir) {
        StatusStore.writeAtomically(
                file(instance.pid()), instance.statusPort() + "\n" + dataDir.toAbsolutePath() + "\n");
    }

    public void unregister(long pid) {
        try {
            Files.deleteIfExists(file(pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The instances whose process still runs. */
    public List<Running> list() {
        List<Running> running = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return running;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[0-9]+"))
                    .toList()) {
                long pid = Long.parseLong(file.getFileName().toString());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    running.add(new Running(
                            new StatusStore.Instance(pid, Integer.parseInt(lines.get(0))), Path.of(lines.get(1))));
                } else {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // A file half written or removed meanwhile: what could be read is the answer.
        }
        return running;
    }

    private Path file(long pid) {
        return dir.resolve(Long.toString(pid));
    }
}
