package io.tapio.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What a run leaves in its data directory for {@code tapio check}: {@code instance} (the
 * running process and its status port) while it runs, and {@code status.json}, its latest
 * status, updated while it runs and final when it stops. Files are replaced atomically.
 */
public final class StatusStore {
    private final Path instance;
    private final Path status;

    /** Where a running instance can be found. */
    public record Instance(long pid, int statusPort) {}

    public StatusStore(Path dataDir) {
        this.instance = dataDir.resolve("instance");
        this.status = dataDir.resolve("status.json");
    }

    public void writeInstance(Instance running) {
        writeAtomically(instance, running.pid() + " " + running.statusPort() + "\n");
    }

    public void clearInstance() {
        try {
            Files.deleteIfExists(instance);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The instance that wrote the file, if that process still runs. */
    public Optional<Instance> runningInstance() {
        try {
            String[] fields = Files.readString(instance).trim().split(" ");
            Instance found = new Instance(Long.parseLong(fields[0]), Integer.parseInt(fields[1]));
            return ProcessHandle.of(found.pid()).filter(ProcessHandle::isAlive).map(p -> found);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void writeStatus(TapioStatus latest) {
        writeAtomically(status, StatusJson.write(latest));
    }

    public Optional<TapioStatus> lastStatus() throws IOException {
        if (!Files.exists(status)) {
            return Optional.empty();
        }
        return Optional.of(StatusJson.read(Files.readString(status)));
    }

    /** Replaces {@code file} with {@code content} in one step: a reader sees the old or the new, never half. */
    static void writeAtomically(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
