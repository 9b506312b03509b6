package io.tapio.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A temporary directory a benchmark works in, removed with everything in it when closed. A
 * stopped Flink job may still be discarding its checkpoints in it: files that go away meanwhile
 * are fine, and a directory that got a new file is tried again.
 */
public final class WorkDirectory implements AutoCloseable {
    private static final int ATTEMPTS = 5;

    private final Path path;

    private WorkDirectory(Path path) {
        this.path = path;
    }

    public static WorkDirectory create(String prefix) {
        try {
            return new WorkDirectory(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    @Override
    public void close() {
        for (int attempt = 1; ; attempt++) {
            try {
                delete();
                return;
            } catch (DirectoryNotEmptyException e) {
                if (attempt == ATTEMPTS) {
                    throw new UncheckedIOException("cannot remove " + path, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + path, e);
            }
        }
    }

    private void delete() throws IOException {
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
