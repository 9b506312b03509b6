package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tapio.cli.TapioProcess.Exit;
import io.tapio.ebpf.capture.CaptureFormatException;
import io.tapio.ebpf.capture.CaptureReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapio bench job --capacity --capture FILE}, in a process of its own as a user starts it,
 * refuses a capture it cannot replay before any round: exit status 2 and one line saying what,
 * where a missing file was a stack trace and exit status 1.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BenchJobRefusesTest {
    @TempDir
    Path dir;

    @Test
    void aMissingCaptureIsNamedInOneLine() throws Exception {
        Path missing = dir.resolve("missing.tcap");

        Exit exit = capacity(missing);

        assertEquals(Tapio.CANNOT_RUN, exit.status(), exit.toString());
        assertEquals(
                "tapio: cannot read the capture " + missing + ": no such file",
                exit.err().strip());
    }

    @Test
    void aTruncatedCaptureIsRefusedWithWhatIsWrongWithIt() throws Exception {
        Path truncated = Captures.truncated(dir);
        String expected = assertThrows(CaptureFormatException.class, () -> CaptureReader.verify(truncated))
                .getMessage();

        Exit exit = capacity(truncated);

        assertEquals(Tapio.CANNOT_RUN, exit.status(), exit.toString());
        assertEquals("tapio: " + expected, exit.err().strip());
        assertFalse(exit.out().contains("round"), "no round ran: " + exit.out());
    }

    private Exit capacity(Path capture) throws Exception {
        try (TapioProcess tapio =
                TapioProcess.start(dir, "bench", "job", "--capacity", "--capture", capture.toString(), "--no-record")) {
            return tapio.await(Duration.ofSeconds(60));
        }
    }
}
