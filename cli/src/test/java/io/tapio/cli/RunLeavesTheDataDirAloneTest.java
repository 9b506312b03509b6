package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Once {@code tapio run} has returned, nothing of it writes to its data directory any more: a
 * user may copy it, archive it or delete it right away. The runs are in this JVM, so that what
 * of a run outlives it is seen writing (in a process of its own, the exit would cut it short
 * instead). The synthetic source at a high rate and a
 * checkpoint every second keep the history's writers busy with open data files, which the job's
 * tasks finish when {@code --duration} cancels the job; three runs on one data directory (fresh,
 * then resumed), since not every stop lands in the middle of a write.
 */
class RunLeavesTheDataDirAloneTest {
    private static final int RUNS = 3;
    private static final long SETTLE_MILLIS = 3_000;

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void onceRunReturnsNothingOfItChangesTheDataDirAnyMore() throws Exception {
        for (int run = 1; run <= RUNS; run++) {
            StringWriter out = new StringWriter();
            CommandLine cli = Tapio.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(out));
            int exit = cli.execute(TapioRun.arguments(
                    dataDir,
                    "--source",
                    "synthetic",
                    "--synthetic-rate",
                    "50000",
                    "--checkpoint-interval",
                    "1s",
                    "--duration",
                    "6s"));
            Map<String, Long> returned = files();
            assertEquals(0, exit, out.toString());
            Thread.sleep(SETTLE_MILLIS);
            Map<String, Long> later = files();
            assertEquals(
                    Map.of(),
                    changes(returned, later),
                    "run " + run + ": files (-> size, -1 gone) that changed in the data directory after tapio run "
                            + "returned");
        }
    }

    /** The files that are new, gone (-1) or of another size in {@code after}. */
    private static Map<String, Long> changes(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> changed = new TreeMap<>();
        after.forEach((file, size) -> {
            if (!size.equals(before.get(file))) {
                changed.put(file, size);
            }
        });
        before.keySet().stream().filter(f -> !after.containsKey(f)).forEach(f -> changed.put(f, -1L));
        return changed;
    }

    /** Every file under the data directory with its size. */
    private Map<String, Long> files() throws IOException {
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dataDir)) {
            all.filter(Files::isRegularFile)
                    .forEach(f -> sizes.put(dataDir.relativize(f).toString(), size(f)));
        } catch (UncheckedIOException e) {
            // A file or directory removed while listed: something still changes the directory.
            throw new AssertionError("the data directory changed while it was listed", e);
        }
        return sizes;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException gone) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
