package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tapio.ebpf.source.ebpf.Coalescing;
import io.tapio.job.SourceSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code tapio run --source ebpf} makes of {@code --ring-coalescing} and {@code --ring-reader-slice}. */
class RingReaderOptionsTest {
    @Test
    void theReaderAsksForSlicesOfATenthOfAMillisecondUnlessToldOtherwise() throws Exception {
        SourceSpec.Ebpf defaults = (SourceSpec.Ebpf) parse("--source", "ebpf").resolve();
        assertEquals(Duration.ofNanos(100_000), defaults.readerSlice());
        assertEquals(Coalescing.DEFAULT, defaults.coalescing());

        SourceSpec.Ebpf scheduled =
                (SourceSpec.Ebpf) parse("--source", "ebpf", "--ring-reader-slice", "0us", "--ring-coalescing", "0us")
                        .resolve();
        assertEquals(Duration.ZERO, scheduled.readerSlice(), "0us keeps the scheduler's own");
        assertEquals(Coalescing.NONE, scheduled.coalescing());
    }

    @Test
    void aSliceWithoutAUnitIsRefused() {
        StringWriter err = new StringWriter();
        CommandLine cli = Tapio.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int status = cli.execute("run", "--ring-reader-slice", "100");
        assertEquals(2, status);
        assertTrue(err.toString().contains("'100' is not a duration"), err.toString());
    }

    private static SourceOption parse(String... args) {
        SourceOption option = new SourceOption();
        new CommandLine(option).parseArgs(args);
        return option;
    }
}
