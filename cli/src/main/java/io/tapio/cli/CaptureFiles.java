package io.tapio.cli;

import io.tapio.ebpf.capture.CaptureFormatException;
import io.tapio.ebpf.capture.CaptureReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A capture a user names on the command line ({@code tapio run --source replay:FILE}, {@code
 * tapio bench job --capacity --capture FILE}), checked before any job starts: a file that is not
 * there or not a capture is refused in one line, exit status 2, not by a job that fails.
 */
final class CaptureFiles {
    private CaptureFiles() {}

    /**
     * Refuses a file that cannot be opened at all; what is in it is for {@link CaptureReader#verify}.
     *
     * @throws IllegalArgumentException when it cannot be read, saying why
     */
    static void requireReadable(Path file) {
        String why = !Files.exists(file)
                ? "no such file"
                : Files.isDirectory(file) ? "it is a directory" : !Files.isReadable(file) ? "permission denied" : null;
        if (why != null) {
            throw new IllegalArgumentException("cannot read the capture " + file + ": " + why);
        }
    }

    /**
     * {@link #requireReadable}, then reads the capture whole.
     *
     * @return how many events it holds
     * @throws CaptureFormatException what is wrong with it as a capture, and where
     */
    static long verify(Path file) throws IOException {
        requireReadable(file);
        return CaptureReader.verify(file);
    }
}
