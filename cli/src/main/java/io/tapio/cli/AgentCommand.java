package io.tapio.cli;

import io.tapio.agent.AgentConfig;
import io.tapio.agent.AgentStats;
import io.tapio.agent.NodeAgent;
import io.tapio.ebpf.metrics.MetricsEndpoint;
import io.tapio.ebpf.node.NodeName;
import io.tapio.enrich.EnrichConfig;
import io.tapio.job.MetricsBindOption;
import io.tapio.kafka.AgentTopic;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tapio agent}: this node's kernel events, enriched here, to Kafka for the streaming job. */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Reads this node's kernel (root; real BPF programs), gives each event its workload here, and "
                    + "publishes the events to Kafka in compressed batches keyed by the node, for a streaming job started "
                    + "with: tapio run --source kafka --bootstrap-servers HOST:PORT.",
            "If Kafka is away, batches wait in a bounded buffer (--buffer-mib) and go out when it is back; past "
                    + "the bound, new batches are dropped and counted. Prints a status line every --status-every; "
                    + "Ctrl-C stops it after Kafka has acknowledged what waits (up to --flush-timeout)."
        })
final class AgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RingOption ring = new RingOption();

    @Mixin
    MetricsBindOption metricsBind = new MetricsBindOption();

    @Option(
            names = "--bootstrap-servers",
            required = true,
            paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Kafka's bootstrap servers.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            defaultValue = AgentTopic.DEFAULT_TOPIC,
            description = "Topic to publish to (default: ${DEFAULT-VALUE}); create it beforehand, with at least as "
                    + "many partitions as the job has source tasks.")
    String topic;

    @Option(
            names = "--node",
            paramLabel = "NAME",
            description = "This node's name (default: $TAPIO_NODE_NAME, else $NODE_NAME, else the host name).")
    String node;

    @Option(
            names = "--kubernetes",
            defaultValue = "auto",
            paramLabel = "auto|off|URL",
            description = "Where pods' names, owners and labels come from: auto (in a pod or with a kubeconfig), off "
                    + "(cgroup paths only), or an API server's URL (default: ${DEFAULT-VALUE}).")
    String kubernetes;

    @Option(
            names = "--cgroup-root",
            paramLabel = "PATH",
            description = "Where the host's cgroup v2 hierarchy is mounted (default: found in /proc/self/mountinfo).")
    String cgroupRoot;

    @Option(
            names = "--compression",
            defaultValue = "zstd",
            paramLabel = "zstd|lz4|snappy|gzip|none",
            description = "The producer's compression (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(
            names = "--batch-events",
            defaultValue = "2000",
            description = "Events in a batch at most (default: ${DEFAULT-VALUE}).")
    int batchEvents;

    @Option(
            names = "--batch-kib",
            defaultValue = "512",
            description = "A batch's size at most, before compression (default: ${DEFAULT-VALUE} KiB).")
    int batchKib;

    @Option(
            names = "--linger",
            defaultValue = "20ms",
            converter = DurationConverter.class,
            paramLabel = "D",
            description = "How long a batch waits for more events at most (default: ${DEFAULT-VALUE}).")
    Duration linger;

    @Option(
            names = "--buffer-mib",
            defaultValue = "64",
            description = "How much may wait for Kafka before new batches are dropped (default: ${DEFAULT-VALUE} MiB).")
    long bufferMib;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "A further producer setting, e.g. security.protocol=SSL; repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(
            names = "--metrics-port",
            defaultValue = "9251",
            description = "Prometheus endpoint port (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--status-every",
            defaultValue = "10s",
            converter = DurationConverter.class,
            paramLabel = "D",
            description = "How often to print a status line (default: ${DEFAULT-VALUE}).")
    Duration statusEvery;

    @Option(
            names = "--flush-timeout",
            defaultValue = "10s",
            converter = DurationConverter.class,
            paramLabel = "D",
            description =
                    "On stopping, how long to wait for Kafka to acknowledge what waits (default: ${DEFAULT-VALUE}).")
    Duration flushTimeout;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            paramLabel = "D",
            description = "Stop after this long (default: until Ctrl-C).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AgentConfig config = config();
        // Ctrl-C waits for the last acknowledgements (up to --flush-timeout).
        try (CtrlC ctrlC = new CtrlC("agent")) {
            AgentStats last;
            try (MetricsEndpoint metrics = MetricsEndpoint.start(metricsBind.address(), metricsPort)) {
                NodeAgent agent = NodeAgent.start(config);
                try {
                    out.printf(
                            "tapio agent on node %s: publishing to %s at %s; metrics at http://%s:%d/metrics"
                                    + "%nCtrl-C stops it.%n",
                            config.node(),
                            config.topic(),
                            config.bootstrapServers(),
                            metricsBind.bind(),
                            metrics.port());
                    out.flush();
                    if (!watch(agent, ctrlC, out)) {
                        spec.commandLine()
                                .getErr()
                                .println("tapio: the agent stopped reading the kernel: " + agent.failure());
                        return 1;
                    }
                    out.println("stopping: waiting up to " + flushTimeout.toSeconds() + " s for Kafka");
                    out.flush();
                } finally {
                    agent.close();
                }
                last = agent.stats();
            }
            out.printf(
                    "tapio agent stopped: %,d events read, %,d filtered, %,d published, %,d dropped%n",
                    last.read(), last.filtered(), last.published(), last.droppedTotal());
            out.flush();
            return 0;
        }
    }

    /** Prints status lines until the duration ends or Ctrl-C; false when the agent failed. */
    private boolean watch(NodeAgent agent, CtrlC ctrlC, PrintWriter out) throws InterruptedException {
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        AgentStats previous = agent.stats();
        long previousAt = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long wait = Math.min(statusEvery.toNanos(), deadline - System.nanoTime());
            if (ctrlC.await(Math.max(wait, 0))) {
                return true;
            }
            if (!agent.running()) {
                return false;
            }
            AgentStats now = agent.stats();
            long at = System.nanoTime();
            out.println(now.line(previous, Duration.ofNanos(at - previousAt)));
            out.flush();
            previous = now;
            previousAt = at;
        }
        return true;
    }

    private AgentConfig config() {
        EnrichConfig enrich = EnrichConfig.defaults().withNode(node == null ? NodeName.local() : node);
        enrich = switch (kubernetes) {
            case "auto" -> enrich;
            case "off" -> enrich.withoutKubernetes();
            default -> enrich.withKubernetesApi(kubernetes);
        };
        if (cgroupRoot != null) {
            enrich = enrich.withCgroupRoot(cgroupRoot);
        }
        return new AgentConfig(
                bootstrapServers,
                topic,
                ring.collector().build(),
                enrich,
                batchEvents,
                batchKib * 1024,
                linger,
                compression,
                bufferMib << 20,
                flushTimeout,
                kafkaProperties);
    }
}
