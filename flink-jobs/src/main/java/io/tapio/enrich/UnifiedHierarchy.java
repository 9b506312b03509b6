package io.tapio.enrich;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the cgroup v2 (unified) hierarchy is mounted: {@code /sys/fs/cgroup} on pure v2
 * nodes, {@code /sys/fs/cgroup/unified} on hybrid ones. The kernel's cgroup ids are inode
 * numbers of directories in this hierarchy, and paths are read relative to its root.
 */
public final class UnifiedHierarchy {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private UnifiedHierarchy() {}

    /** The mount point of the cgroup2 file system, from /proc/self/mountinfo. */
    public static Optional<Path> find() {
        try {
            return find(Files.readAllLines(MOUNTINFO));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The first cgroup2 mount whose root is the hierarchy's root (a bind mount of a subtree
     * would give paths relative to that subtree).
     */
    static Optional<Path> find(List<String> mountinfo) {
        for (String line : mountinfo) {
            // "36 35 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw": fields, " - ", type, source, options
            int separator = line.indexOf(" - ");
            if (separator < 0) {
                continue;
            }
            String[] fields = line.substring(0, separator).split(" ");
            String[] after = line.substring(separator + 3).split(" ");
            if (fields.length >= 5 && after.length >= 1 && after[0].equals("cgroup2") && fields[3].equals("/")) {
                return Optional.of(Path.of(unescape(fields[4])));
            }
        }
        return Optional.empty();
    }

    /** mountinfo writes space, tab, newline and backslash in octal: {@code \040}. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\'
                    && i + 3 < field.length()
                    && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The path of {@code directory} as the kernel names cgroups: "/" for the root, else "/a/b". */
    static String relative(Path root, Path directory) {
        Path relative = root.relativize(directory);
        return relative.toString().isEmpty() ? "/" : "/" + relative;
    }
}
