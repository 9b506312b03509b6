package io.tapio.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** This process's open file descriptors, by what they refer to. */
public final class OpenFds {
    /** What a descriptor from {@code BPF_ENABLE_STATS} refers to: while one is open, the kernel times BPF programs. */
    public static final String BPF_STATS = "anon_inode:bpf-stats";

    private OpenFds() {}

    /** How many of this process's descriptors refer to {@code target} (as /proc/self/fd shows it). */
    public static long to(String target) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().equals(target);
                        } catch (IOException e) {
                            return false; // the listing's own descriptor, closed by now
                        }
                    })
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
