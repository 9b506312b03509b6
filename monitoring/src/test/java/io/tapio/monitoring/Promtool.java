package io.tapio.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus' own tools from Debian's prometheus package (launcher/prerequisites.sh test installs it). */
final class Promtool {
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    record Result(int exit, String output) {}

    private Promtool() {}

    static Result run(String... args) throws IOException, InterruptedException {
        requireInstalled(PROMTOOL);
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool did not finish in 60 s: " + output);
        }
        return new Result(process.exitValue(), output);
    }

    static void requireInstalled(Path tool) {
        if (!Files.isExecutable(tool)) {
            throw new IllegalStateException(tool + " is missing: install Debian's prometheus package "
                    + "(launcher/prerequisites.sh test does)");
        }
    }
}
