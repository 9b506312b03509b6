package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tapio.ebpf.abi.KernelEvent;
import io.tapio.ebpf.capture.CaptureFormatException;
import io.tapio.ebpf.capture.CaptureReader;
import io.tapio.ebpf.capture.CaptureWriter;
import io.tapio.ebpf.synthetic.SyntheticConfig;
import io.tapio.ebpf.synthetic.SyntheticEventGenerator;
import io.tapio.testing.JavaProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapio run} refuses, in a process of its own as a user starts it, what it can tell is
 * wrong before the job starts: exit status 2, one line saying what, and no job that runs its
 * whole duration on nothing.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RunRefusesTest {
    @TempDir
    Path dir;

    private record Exit(int status, String out, String err) {}

    @Test
    void aTruncatedCaptureIsRefusedWithWhatIsWrongWithIt() throws Exception {
        byte[] capture = capture();
        assertRefused(file("truncated.tcap", Arrays.copyOf(capture, capture.length - 7)));
    }

    @Test
    void aBitFlippedCaptureIsRefusedWithWhatIsWrongWithIt() throws Exception {
        byte[] capture = capture();
        capture[capture.length / 2] ^= 0x10;
        assertRefused(file("flipped.tcap", capture));
    }

    @Test
    void aForeignFileIsRefusedAsNotACapture() throws Exception {
        assertRefused(file("notes.txt", "{\"hello\": \"world\"}\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aPortInUseIsNamedWithTheOptionThatMovesIt() throws Exception {
        Path capture = file("good.tcap", capture());
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            Exit exit = run("--source", "replay:" + capture, "--ui-port", "" + port);
            assertEquals(Tapio.CANNOT_RUN, exit.status(), exit.toString());
            assertEquals(
                    "tapio: port " + port + " on 127.0.0.1 (the web UI) is in use, perhaps by another tapio run "
                            + "(./tapio check tells): choose another with --ui-port PORT",
                    exit.err().strip(),
                    "one line, no stack trace");
        }
    }

    private void assertRefused(Path capture) throws Exception {
        String expected = assertThrows(CaptureFormatException.class, () -> CaptureReader.verify(capture))
                .getMessage();
        Exit exit = run("--source", "replay:" + capture);
        assertEquals(Tapio.CANNOT_RUN, exit.status(), exit.toString());
        assertEquals("tapio: " + expected, exit.err().strip());
        assertFalse(exit.out().contains("Tapio is running"), "the job never started: " + exit.out());
    }

    /** {@code tapio run} in a new JVM, with free ports unless the arguments choose one. */
    private Exit run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "run",
                "--duration",
                "20s",
                "--no-history",
                "--data-dir",
                dir.resolve("data").toString()));
        command.addAll(List.of(args));
        if (!command.contains("--ui-port")) {
            command.addAll(List.of("--ui-port", "0"));
        }
        command.addAll(List.of("--metrics-port", "0", "--status-port", "0"));
        Process process = new ProcessBuilder(JavaProcess.command(Tapio.class, command.toArray(String[]::new)))
                .redirectError(dir.resolve("err").toFile())
                .redirectOutput(dir.resolve("out").toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("tapio run did not refuse; it ran: " + Files.readString(dir.resolve("out")));
        }
        return new Exit(
                process.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    /** A complete capture of a second of synthetic events. */
    private byte[] capture() throws IOException {
        Path file = dir.resolve("source.tcap");
        SyntheticEventGenerator events = new SyntheticEventGenerator(
                SyntheticConfig.builder().seed(1).eventsPerSecond(2_000).build(), 0);
        try (CaptureWriter writer = CaptureWriter.create(file, "node-a")) {
            for (KernelEvent event : events.next(1_000_000_000L)) {
                writer.write(event);
            }
        }
        return Files.readAllBytes(file);
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
