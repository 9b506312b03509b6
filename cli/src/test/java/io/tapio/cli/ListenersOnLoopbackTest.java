package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.kafka.KafkaBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every socket a running {@code tapio run} or {@code tapio agent} listens on, as the kernel
 * lists them in {@code /proc/net/tcp} and {@code tcp6}, is on loopback: the web UI, the metrics
 * and status endpoints, and whatever Flink's MiniCluster opens for itself; and the agent's
 * {@code --metrics-bind} is the only way a socket listens beyond it. A run asked for port 0
 * prints the ports the system chose.
 */
class ListenersOnLoopbackTest {
    /** 0.0.0.0 and ::, the wildcard of either table. */
    private static final String WILDCARD = "0{8}|0{32}";

    /** An address {@code tapio run} prints when it is running. */
    private static final Pattern ADDRESS = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");

    private static final Pattern AGENT_METRICS = Pattern.compile("metrics at http://[^:]+:(\\d+)/metrics");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aRunningTapioListensOnLoopbackOnly() throws Exception {
        try (TapioProcess run = TapioProcess.startRun(
                dir,
                "--source",
                "synthetic",
                "--duration",
                "90s",
                "--no-history",
                "--data-dir",
                dir.resolve("data").toString())) {
            run.awaitOutput("Ctrl-C stops it.", Duration.ofSeconds(90));
            List<String> listening = listening(run);
            assertEquals(List.of(), Listeners.beyondLoopback(listening), "listening: " + listening);
            // Started with port 0 for each: what it prints is where the system put them.
            Matcher printed = ADDRESS.matcher(run.out());
            List<String> ports = new ArrayList<>();
            while (printed.find()) {
                ports.add(String.format(Locale.ROOT, "%04X", Integer.parseInt(printed.group(1))));
            }
            assertEquals(3, ports.size(), "web UI, metrics and status: " + run.out());
            for (String port : ports) {
                assertTrue(
                        listening.stream().anyMatch(address -> address.endsWith(":" + port)),
                        "printed port " + Integer.parseInt(port, 16) + " listens: " + run.out() + listening);
            }
        }
    }

    /**
     * A node agent (the real BPF programs, a real broker in this JVM) listens for its metrics
     * only, on loopback by default, and on the wildcard address when {@code --metrics-bind
     * 0.0.0.0} asks for it, as the DaemonSet does: that socket and no other.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anAgentListensOnLoopbackUnlessMetricsBindSaysOtherwise() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            broker.createTopic("tapio.events", 1);
            try (TapioProcess agent = startAgent(broker)) {
                List<String> listening = listening(agent);
                assertEquals(List.of(), Listeners.beyondLoopback(listening), "listening: " + listening);
            }
            try (TapioProcess agent = startAgent(broker, "--metrics-bind", "0.0.0.0")) {
                List<String> listening = listening(agent);
                Matcher metrics = AGENT_METRICS.matcher(agent.out());
                assertTrue(metrics.find(), agent.out());
                String port = String.format(Locale.ROOT, "%04X", Integer.parseInt(metrics.group(1)));
                List<String> beyond = Listeners.beyondLoopback(listening);
                assertEquals(1, beyond.size(), "the metrics socket and no other: " + listening);
                assertEquals(port, beyond.getFirst().split(":")[1], "it is the metrics endpoint's: " + listening);
                assertTrue(beyond.getFirst().split(":")[0].matches(WILDCARD), "on the wildcard: " + beyond);
            }
        }
    }

    private TapioProcess startAgent(KafkaBroker broker, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "agent",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--kubernetes",
                "off",
                "--metrics-port",
                "0",
                "--duration",
                "2m"));
        args.addAll(List.of(more));
        TapioProcess agent = TapioProcess.start(dir, args.toArray(String[]::new));
        try {
            agent.awaitOutput("Ctrl-C stops it.", Duration.ofSeconds(90));
            return agent;
        } catch (AssertionError | Exception e) {
            agent.close();
            throw e;
        }
    }

    /** The local addresses (as /proc/net/tcp{,6} spell them) of the process's listening sockets. */
    private static List<String> listening(TapioProcess tapio) throws IOException {
        List<String> listening = tapio.listening();
        assertFalse(listening.isEmpty(), "a running tapio listens (at least for its metrics)");
        return listening;
    }
}
