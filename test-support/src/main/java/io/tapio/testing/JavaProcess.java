package io.tapio.testing;

import java.util.ArrayList;
import java.util.List;

/** Command lines that run a main class of the test class path in a new JVM. */
public final class JavaProcess {
    private JavaProcess() {}

    public static List<String> command(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
