package io.tapio.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/** What a benchmark that starts its own {@code tapio run}s may leave behind: the runs, its directories. */
final class Leftovers {
    private Leftovers() {}

    /** Processes of this machine running tapio's command line. */
    static Set<Long> runningTapios() {
        return runningTapios("");
    }

    /** Processes of this machine running tapio's command line with {@code argument} in it. */
    static Set<Long> runningTapios(String argument) {
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    String line = p.info().commandLine().orElse("");
                    return line.contains(Tapio.class.getName() + " run") && line.contains(argument);
                })
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    /** The temporary directories whose names start with {@code prefix}. */
    static Set<Path> temporaryDirectories(String prefix) throws IOException {
        try (var paths = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return paths.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .collect(Collectors.toSet());
        }
    }
}
