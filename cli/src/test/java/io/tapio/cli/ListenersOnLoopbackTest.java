package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every socket a running {@code tapio run} listens on, as the kernel lists them in {@code
 * /proc/net/tcp} and {@code tcp6}, is on loopback: the web UI, the metrics and status
 * endpoints, and whatever Flink's MiniCluster opens for itself.
 */
class ListenersOnLoopbackTest {
    /** 127.0.0.0/8 in /proc/net/tcp's byte order, the same mapped into IPv6, and ::1. */
    private static final String V4_LOOPBACK = "[0-9A-F]{6}7F";

    private static final String V6_LOOPBACK = "0000000000000000FFFF0000[0-9A-F]{6}7F|0{24}01000000";

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
            List<String> beyondLoopback = listening.stream()
                    .filter(address -> !address.split(":")[0].matches(V4_LOOPBACK + "|" + V6_LOOPBACK))
                    .toList();
            assertEquals(List.of(), beyondLoopback, "listening: " + listening);
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
        Set<String> sockets = socketInodes(pid);
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))
                    .subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] fields = line.trim().split("\\s+");
                boolean listen = fields[3].equals("0A");
                if (listen && sockets.contains(fields[9])) {
                    listening.add(fields[1]);
                }
            }
        }
        assertFalse(listening.isEmpty(), "a running tapio run listens (web UI, metrics, status)");
        return listening;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // Not a socket we can miss: it is gone.
                }
            }
        }
        return inodes;
    }
}
