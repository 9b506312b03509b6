package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every socket a running {@code tapio run} listens on, as the kernel lists them in {@code
 * /proc/net/tcp} and {@code tcp6}, is on loopback: the web UI, the metrics and status
 * endpoints, and whatever Flink's MiniCluster opens for itself.
 */
class ListenersOnLoopbackTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aRunningTapioListensOnLoopbackOnly() throws Exception {
        Process run = new ProcessBuilder(TapioProcess.command(
                        "run",
                        "--source",
                        "synthetic",
                        "--duration",
                        "90s",
                        "--no-history",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--ui-port",
                        "0",
                        "--metrics-port",
                        "0",
                        "--status-port",
                        "0"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out").toFile())
                .start();
        try {
            List<String> listening = awaitListening(run.pid());
            assertEquals(List.of(), Listeners.beyondLoopback(listening), "listening: " + listening);
        } finally {
            run.destroy();
            if (!run.waitFor(60, TimeUnit.SECONDS)) {
                run.destroyForcibly().waitFor();
            }
        }
    }

    /** The local addresses of the process's listening sockets, once the run has said it runs. */
    private List<String> awaitListening(long pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.readString(dir.resolve("out")).contains("Tapio is running")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("tapio run never ran: " + Files.readString(dir.resolve("out")));
            }
            Thread.sleep(200);
        }
        List<String> listening = Listeners.of(pid);
        assertFalse(listening.isEmpty(), "a running tapio run listens (web UI, metrics, status)");
        return listening;
    }
}
