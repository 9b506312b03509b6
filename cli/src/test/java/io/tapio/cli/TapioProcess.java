package io.tapio.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The command line that runs {@code tapio} in a new JVM as the launcher does, with its JVM flags (Flink needs them). */
final class TapioProcess {
    private static final Path JVM_OPTIONS = Path.of("..", "launcher", "jvm.options");

    private TapioProcess() {}

    static List<String> command(String... args) {
        return command(System.getProperty("java.class.path"), args);
    }

    /**
     * {@code tapio} with the class path it runs with (no test classes) less Flink's planner: a
     * {@code tapio sql} that answers can only have answered through the SQL service, and loaded
     * nothing of the planner.
     */
    static List<String> withoutPlanner(String... args) {
        return command(
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(entry -> !entry.contains("flink-table-planner"))
                        .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("-tests.jar"))
                        .collect(Collectors.joining(File.pathSeparator)),
                args);
    }

    private static List<String> command(String classPath, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "@" + JVM_OPTIONS.toAbsolutePath(),
                "-cp",
                classPath,
                Tapio.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
