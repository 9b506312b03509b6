package io.tapio.kernelmatrix;

import io.tapio.ebpf.abi.BlockIoLatency;
import io.tapio.ebpf.abi.EventType;
import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.collector.CollectorConfig;
import io.tapio.ebpf.collector.KernelCollector;
import io.tapio.ebpf.ring.RecordHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Tapio's Java collector in a guest of the matrix, as a node runs it (its default
 * configuration, a smaller ring): opens it, says what it left out or attached elsewhere on
 * that kernel, runs a command, and prints the events it read meanwhile in tapio-probe's form,
 * for {@link ProbeOutput}:
 *
 * <pre>
 *   collector main seconds=S        (from the JVM's start)
 *   collector opened seconds=S      (from main)
 *   collector unavailable type=TYPE reason="..."
 *   collector limited type=TYPE limitation="..."
 *   event TYPE pid=P comm=C [dev=MAJOR:MINOR op=OP bytes=N latency_us=N]
 * </pre>
 *
 * Exit status: the command's.
 */
public final class CollectorInGuest {
    /**
     * What the JVM needs under emulation: C1 only and the serial collector start it about twice
     * as fast (kernel-matrix/README.md's figures).
     */
    private static final List<String> JVM_OPTIONS = List.of(
            "--enable-native-access=ALL-UNNAMED",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData",
            "-Xmx256m");

    private CollectorInGuest() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        long started = System.nanoTime();
        ProcessHandle.current()
                .info()
                .startInstant()
                .ifPresent(jvm -> System.out.printf(
                        Locale.ROOT,
                        "collector main seconds=%.1f%n",
                        Duration.between(jvm, Instant.now()).toMillis() / 1e3));
        int status;
        try (KernelCollector collector = KernelCollector.open(
                CollectorConfig.builder().ringBufferBytes(4 << 20).build())) {
            System.out.printf(Locale.ROOT, "collector opened seconds=%.1f%n", (System.nanoTime() - started) / 1e9);
            collector
                    .unavailable()
                    .forEach((type, why) -> System.out.println(
                            "collector unavailable type=" + type.label() + " reason=\"" + why + "\""));
            collector
                    .limitations()
                    .forEach((type, what) -> System.out.println(
                            "collector limited type=" + type.label() + " limitation=\"" + what + "\""));
            List<String> events = new ArrayList<>();
            RecordHandler print = (ring, offset, length) -> events.add(line(KernelEvent.copyOf(ring, offset, length)));
            Process command = new ProcessBuilder(args).inheritIO().start();
            while (command.isAlive()) {
                collector.reader().poll(print, 1024, Duration.ofMillis(50));
            }
            while (collector.reader().poll(print, 1024, Duration.ofMillis(200)) > 0) {
                // what the command's last moments left in the ring
            }
            events.forEach(System.out::println);
            status = command.exitValue();
        }
        System.exit(status);
    }

    private static String line(KernelEvent event) {
        String line = "event " + event.type().label() + " pid=" + event.pid() + " comm=" + event.comm();
        if (event.type() == EventType.BLOCK_IO_LATENCY) {
            BlockIoLatency io = event.payload(BlockIoLatency.class);
            line += " dev=" + io.deviceName() + " op=" + io.op().name().toLowerCase(Locale.ROOT) + " bytes="
                    + io.bytes() + " latency_us=" + io.latencyNs() / 1000;
        }
        return line;
    }

    /**
     * The command that runs this class with {@code args}: this JVM's java, the options above,
     * and a class path of only what the collector needs (the ebpf-source and tapio-bpf jars,
     * slf4j-api without a provider, this class), which the guest reads from the host's files.
     */
    static List<String> command(List<String> args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = String.join(
                ":",
                Stream.of(
                                location(KernelCollector.class),
                                resourceRoot("/io/tapio/bpf/tapio.bpf.o"),
                                location(LoggerFactory.class),
                                location(CollectorInGuest.class))
                        .map(Path::toString)
                        .toList());
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", classPath, CollectorInGuest.class.getName()));
        command.addAll(args);
        return command;
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The jar or directory a resource is in. */
    private static Path resourceRoot(String resource) {
        String url = CollectorInGuest.class.getResource(resource).toString();
        if (url.startsWith("jar:")) {
            return Path.of(URI.create(url.substring("jar:".length(), url.indexOf("!/"))));
        }
        return Path.of(URI.create(url.substring(0, url.length() - resource.length())));
    }
}
