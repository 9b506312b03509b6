package io.tapio.cli;

import java.nio.file.Path;

/** Where runs keep their state by default: {@code $TAPIO_HOME/data}, else {@code ~/.tapio/data}. */
final class DataDir {
    static final String DESCRIPTION = "Where runs keep their state (default: $TAPIO_HOME/data, else ~/.tapio/data; "
            + "./tapio sets TAPIO_HOME to the checkout's .tapio).";

    private DataDir() {}

    static Path orDefault(Path chosen) {
        if (chosen != null) {
            return chosen;
        }
        String home = System.getenv("TAPIO_HOME");
        Path base =
                home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".tapio");
        return base.resolve("data");
    }
}
