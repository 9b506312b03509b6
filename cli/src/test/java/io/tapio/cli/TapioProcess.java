package io.tapio.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs {@code tapio} in a new JVM as the launcher does, with its JVM flags (Flink needs them). */
final class TapioProcess {
    private static final Path JVM_OPTIONS = Path.of("..", "launcher", "jvm.options");

    private TapioProcess() {}

    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "@" + JVM_OPTIONS.toAbsolutePath(),
                "-cp",
                System.getProperty("java.class.path"),
                Tapio.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
