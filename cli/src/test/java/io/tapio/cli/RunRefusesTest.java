package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.cli.TapioProcess.Exit;
import io.tapio.ebpf.capture.CaptureFormatException;
import io.tapio.ebpf.capture.CaptureReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    @Test
    void aTruncatedCaptureIsRefusedWithWhatIsWrongWithIt() throws Exception {
        assertRefused(Captures.truncated(dir));
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
    void aMissingCaptureIsNamedInOneLine() throws Exception {
        Path missing = dir.resolve("missing.tcap");
        Exit exit = run("--source", "replay:" + missing);
        assertEquals(Tapio.CANNOT_RUN, exit.status(), exit.toString());
        assertEquals(
                "tapio: cannot read the capture " + missing + ": no such file",
                exit.err().strip());
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

    /**
     * Without CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN, {@code --source ebpf} is refused before a
     * job starts. The capabilities are taken from a root process (setpriv, util-linux) rather
     * than running as another user, because the JDK, the build and the Maven repository are
     * readable by root only here (and under /root on CI).
     */
    @Test
    void ebpfWithoutThePrivilegesIsRefusedNamingThemAndHowToGetThem() throws Exception {
        String capabilities = "-bpf,-perfmon,-sys_admin";
        Exit exit = run(
                List.of("setpriv", "--inh-caps=" + capabilities, "--bounding-set=" + capabilities, "--"),
                "--source",
                "ebpf");
        assertEquals(Tapio.CANNOT_RUN, exit.status(), exit.toString());
        String err = exit.err().strip();
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
        assertTrue(err.startsWith("tapio: cannot read this machine's kernel: "), err);
        assertTrue(err.contains("this process lacks CAP_BPF and CAP_PERFMON"), err);
        assertTrue(err.contains("Run it as root") && err.contains("capabilities.add: [BPF, PERFMON"), err);
        assertTrue(err.contains("--source synthetic"), err);
        assertFalse(exit.out().contains("Tapio is running"), "the job never started: " + exit.out());
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
        return run(List.of(), args);
    }

    /** {@code tapio run} in a new JVM started by {@code launcher} (such as setpriv), to its end. */
    private Exit run(List<String> launcher, String... args) throws Exception {
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
        try (TapioProcess tapio = TapioProcess.start(dir, launcher, command.toArray(String[]::new))) {
            return tapio.await(Duration.ofSeconds(90));
        }
    }

    /** A complete capture of a second of synthetic events. */
    private byte[] capture() throws IOException {
        Path file = dir.resolve("source.tcap");
        Captures.synthetic(file, Duration.ofSeconds(1), 2_000);
        return Files.readAllBytes(file);
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
