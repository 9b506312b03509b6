package io.tapio.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.abi.SafeText;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A status holds what processes and pods called things. {@code tapio check} shows it on a
 * screen and prints it as JSON; neither passes a control character on to the terminal, and
 * the JSON still holds the names as they were.
 */
class StatusTextTest {
    /** A title change, a newline, the one-byte CSI and a right-to-left override. */
    private static final String PATH = "/etc/missing-\u001b]0;pwned\u0007\nfile-\u009b2J-\u202etxt.exe";

    private static TapioStatus withPath() {
        TapioStatus.Finding finding = new TapioStatus.Finding(
                "missing_file",
                "warning",
                "evil\u001b[31m",
                "2026-12-02T20:00:00Z",
                "2026-12-02T20:06:00Z",
                5,
                "app keeps looking for " + PATH + ", which does not exist (5 failed opens).",
                "Mount or create " + PATH + ".",
                "missing_file:node:" + PATH + ":1",
                PATH,
                new TapioStatus.Cause("missing_file", PATH));
        return new TapioStatus(
                        TapioStatus.VERSION,
                        true,
                        "replay:/tmp/\u001b[2Jcapture",
                        "node\u001b[8m",
                        "2026-12-02T20:00:00Z",
                        "2026-12-02T20:10:00Z",
                        10,
                        new TapioStatus.Rates(1.0, Map.of("open_failed", 1.0)),
                        new TapioStatus.Latency(0, null, null, null),
                        new TapioStatus.Kernel(10, 10, 0, 0),
                        Map.of(),
                        0,
                        Map.of(),
                        List.of(finding),
                        new TapioStatus.Health(
                                false,
                                List.of(new TapioStatus.Problem("the job failed: \u001b[1m", "fix it")),
                                List.of()))
                .withFindings(List.of(finding));
    }

    @Test
    void theScreenShowsNamesEscapedOnTheirOwnLines() {
        String screen = StatusView.render(withPath());

        assertTrue(screen.codePoints().allMatch(c -> c == '\n' || !SafeText.isUnsafe(c)), screen);
        assertTrue(screen.contains("missing-\\x1b]0;pwned\\x07\\nfile-\\u009b2J-\\u202etxt.exe, which"), screen);
        assertTrue(screen.contains("Tapio on node\\x1b[8m: running (source replay:/tmp/\\x1b[2Jcapture"), screen);
        assertTrue(screen.contains("the job failed: \\x1b[1m"), screen);
        assertEquals(11, screen.lines().count(), "no line of the process's own:\n" + screen);
    }

    @Test
    void theJsonEscapesThemTheJsonWayAndKeepsThemWhole() throws IOException {
        TapioStatus status = withPath();
        String json = StatusJson.write(status);

        assertTrue(json.codePoints().allMatch(c -> c == '\n' || !SafeText.isUnsafe(c)), json);
        assertTrue(json.contains("missing-\\u001B]0;pwned\\u0007\\nfile-\\u009b2J-\\u202etxt.exe"), json);
        assertEquals(status, StatusJson.read(json));
    }
}
