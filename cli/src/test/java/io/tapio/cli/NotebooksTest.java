package io.tapio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapio.history.HistoryConfig;
import io.tapio.history.HistoryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every notebook in notebooks/ runs headless, as {@code jupyter nbconvert --execute} runs it,
 * against a history on disk (the fixture, and what {@code tapio regress} found in it), reading
 * through {@code tapio sql} and the SQL service running for that history (the notebooks' {@code
 * tapio} has no Flink planner: it can only answer through the service); each ends without an
 * error and draws its plot.
 */
class NotebooksTest {
    private static final Path ROOT =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @TempDir
    static Path dataDir;

    @TempDir
    static Path executed;

    static TapioProcess service;

    @BeforeAll
    static void fillHistoryAndServeIt() throws Exception {
        HistoryFixture.write(HistoryConfig.hadoop(dataDir));
        CommandLine regress = Tapio.commandLine();
        regress.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(
                RegressCommand.REGRESSED,
                regress.execute("regress", "--at", HistoryFixture.END.toString(), "--data-dir", dataDir.toString()),
                "the fixture has a regression for the notebooks to show");
        service = TapioProcess.serveSql(executed, dataDir);
    }

    @AfterAll
    static void stopTheService() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyNotebookRunsAndDrawsItsPlot() throws Exception {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(ROOT.resolve("notebooks"))) {
            notebooks =
                    files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertEquals(3, notebooks.size(), notebooks.toString());
        for (Path notebook : notebooks) {
            Path out = execute(notebook);
            JsonNode cells = new ObjectMapper().readTree(out.toFile()).get("cells");
            long plots = 0;
            for (JsonNode cell : cells) {
                for (JsonNode output : cell.path("outputs")) {
                    assertFalse("error".equals(output.path("output_type").asText()), notebook + ": " + output);
                    plots += output.path("data").has("image/png") ? 1 : 0;
                }
            }
            assertTrue(plots >= 1, notebook.getFileName() + " drew no plot");
        }
    }

    private static Path execute(Path notebook) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(
                        "jupyter",
                        "nbconvert",
                        "--to",
                        "notebook",
                        "--execute",
                        "--ExecutePreprocessor.timeout=300",
                        "--output-dir",
                        executed.toString(),
                        notebook.toString())
                .redirectErrorStream(true);
        // What a user sets to run tapio without the launcher's build step (see notebooks/tapio_sql.py).
        pb.environment()
                .put("TAPIO", String.join(" ", TapioProcess.commandWithoutPlanner(executed.resolve("tapio.log"))));
        pb.environment().put("TAPIO_DATA_DIR", dataDir.toString());
        pb.environment().put("XDG_RUNTIME_DIR", executed.resolve("runtime").toString());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AssertionError(
                    "jupyter nbconvert is needed to run the notebooks: launcher/prerequisites.sh test "
                            + "installs it (Debian: jupyter-nbconvert python3-nbclient python3-ipykernel python3-pandas "
                            + "python3-matplotlib)",
                    e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), notebook + " did not finish");
        assertEquals(0, process.exitValue(), notebook.getFileName() + " failed:\n" + output);
        return executed.resolve(notebook.getFileName());
    }
}
