package io.tapio.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A small C project, generated, that make builds in parallel: the benchmark's compile workload. */
public final class BuildProject {
    private BuildProject() {}

    public static Path create(Path parent, int sources) {
        Path dir = parent.resolve("build");
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < sources; i++) {
                Files.writeString(dir.resolve("unit" + i + ".c"), source(i));
            }
            String objects =
                    IntStream.range(0, sources).mapToObj(i -> "unit" + i + ".o").collect(Collectors.joining(" "));
            Files.writeString(dir.resolve("Makefile"), "all: " + objects + "\n%.o: %.c\n\t$(CC) -O2 -c $< -o $@\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Rebuilds everything, with as many jobs as there are CPUs. */
    public static void build(Path dir) {
        Commands.check("make", "-s", "-B", "-j" + Runtime.getRuntime().availableProcessors(), "-C", dir.toString());
    }

    /** Enough code for the optimizer to chew on for a while. */
    private static String source(int unit) {
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <string.h>\n");
        for (int f = 0; f < 40; f++) {
            c.append("static long f")
                    .append(f)
                    .append("(long x) { long s = 0; for (int i = 0; i < x; i++) { ")
                    .append("s += (i * ")
                    .append(unit + f + 3)
                    .append(") ^ (s >> 3); if (s % 7 == ")
                    .append(f % 7)
                    .append(") s -= i; } return s; }\n");
        }
        c.append("long unit").append(unit).append("(long x) { return ");
        for (int f = 0; f < 40; f++) {
            c.append(f == 0 ? "" : " + ").append("f").append(f).append("(x)");
        }
        return c.append("; }\n").toString();
    }
}
