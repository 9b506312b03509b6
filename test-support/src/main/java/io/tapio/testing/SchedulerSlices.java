package io.tapio.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The scheduler slices of this JVM's threads, as {@code /proc} shows them (EEVDF's {@code se.slice}). */
public final class SchedulerSlices {
    private static final Pattern SLICE = Pattern.compile("se\\.slice\\s*:\\s*(\\d+)");
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    private SchedulerSlices() {}

    /** Whether this kernel takes a normal thread's slice from {@code sched_setattr} (Linux 6.12+). */
    public static boolean kernelTakesSlices() {
        Matcher m = VERSION.matcher(System.getProperty("os.version"));
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 6 || major == 6 && minor >= 12;
    }

    /** The calling thread's slice in nanoseconds; empty on a kernel that shows none. */
    public static OptionalLong ofCallingThread() {
        return read(Path.of("/proc/thread-self/sched"));
    }

    /**
     * The slice of this JVM's thread named {@code name} (as the kernel keeps it: its first 15
     * bytes); empty when there is no such thread or the kernel shows none.
     */
    public static OptionalLong ofThread(String name) {
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(comm)) {
                        return read(task.resolve("sched"));
                    }
                } catch (NoSuchFileException ended) {
                    // a thread that ended while we looked
                }
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OptionalLong read(Path sched) {
        try {
            Matcher m = SLICE.matcher(Files.readString(sched));
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
