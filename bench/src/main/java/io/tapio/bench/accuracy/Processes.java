package io.tapio.bench.accuracy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real processes for the scenarios and the background, bounded in time. */
final class Processes {
    private static final long LIMIT_SECONDS = 60;

    private Processes() {}

    /** Runs a command to its end, whatever its exit status (failing is often the point). */
    static void run(List<String> command) throws IOException, InterruptedException {
        Process process = start(command);
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not end within " + LIMIT_SECONDS + " s");
        }
    }

    static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
