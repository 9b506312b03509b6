package io.tapio.ebpf.synthetic;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The faults {@code tapio run --source synthetic --inject NAME} plays: each in a workload of its
 * own, repeating, with the timing of a real occurrence.
 */
public final class DemoFaults {
    /** The names {@link #named} knows, in the order the command's help lists them. */
    public static final List<String> NAMES = List.of("oom-loop", "crash-loop", "refused-connections", "missing-file");

    private DemoFaults() {}

    /** @throws IllegalArgumentException for a name not in {@link #NAMES} */
    public static InjectedFault named(String name) {
        return switch (name) {
            case "oom-loop" ->
                new InjectedFault.OomLoop(
                        new Workload(20_001, "payments"), Duration.ofSeconds(20), Duration.ofSeconds(2), 256L << 20);
            case "crash-loop" ->
                new InjectedFault.CrashLoop(
                        new Workload(20_002, "checkout"), Duration.ofSeconds(10), Duration.ofSeconds(3), 1);
            case "refused-connections" ->
                new InjectedFault.RefusedConnections(
                        new Workload(20_003, "frontend"),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        new InetSocketAddress("127.0.0.1", 5432));
            case "missing-file" ->
                new InjectedFault.MissingFile(
                        new Workload(20_004, "api"),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(1),
                        "/etc/config/app.yaml");
            default ->
                throw new IllegalArgumentException("unknown fault '" + name + "': use " + String.join(", ", NAMES));
        };
    }
}
