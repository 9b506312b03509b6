package io.tapio.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code tapio} in a new JVM as the launcher runs it, with its JVM flags (Flink needs them) and
 * its log file, as a user types it: its own default data directory ({@code TAPIO_HOME}) and
 * registry of runs and SQL services ({@code XDG_RUNTIME_DIR}) in a directory of the test's, its
 * output in files there, its standard input a pipe the test may type into.
 */
final class TapioProcess implements AutoCloseable {
    private static final Path JVM_OPTIONS = Path.of("..", "launcher", "jvm.options");
    /** What the launcher adds for the commands that stay on a node: the tests run them as users do. */
    private static final Path NODE_OPTIONS = Path.of("..", "launcher", "node.options");

    private static final List<String> NODE_COMMANDS = List.of("run", "agent");
    private static final String LOG_CONFIG = "log4j2.properties";
    /** What {@code tapio sql --serve} prints once it serves, with its port. */
    private static final Pattern SERVING = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+) ");

    static final ObjectMapper JSON = new ObjectMapper();

    /** How a process ended: its exit status and everything it printed. */
    record Exit(int status, String out, String err) {}

    private final Process process;
    private final Path out;
    private final Path err;

    private TapioProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code tapio args...}, with {@code dir/home} as TAPIO_HOME and {@code dir/runtime} as XDG_RUNTIME_DIR. */
    static TapioProcess start(Path dir, String... args) throws IOException {
        return start(dir, List.of(), args);
    }

    /** Starts {@code tapio args...} through {@code launcher}, a command that runs the one after it (setpriv). */
    static TapioProcess start(Path dir, List<String> launcher, String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(command(dir.resolve("home/tapio.log"), args));
        return launch(dir, command);
    }

    /**
     * Starts {@code tapio args...} without Flink's planner on its class path (nor the tests'
     * classes): a {@code tapio sql} that answers can only have answered through the SQL service.
     */
    static TapioProcess startWithoutPlanner(Path dir, String... args) throws IOException {
        return launch(dir, commandWithoutPlanner(dir.resolve("home/tapio.log"), args));
    }

    /** Starts {@code tapio sql --serve} over {@code dataDir} on a port the system chooses, and waits until it serves. */
    static TapioProcess serveSql(Path dir, Path dataDir) throws Exception {
        TapioProcess service = launch(
                dir,
                withOwnTmp(
                        dir,
                        command(
                                dir.resolve("home/tapio.log"),
                                "sql",
                                "--serve",
                                "--port",
                                "0",
                                "--data-dir",
                                dataDir.toString())));
        try {
            service.awaitOutput(SERVING, Duration.ofMinutes(3));
            return service;
        } catch (AssertionError | Exception e) {
            service.close();
            throw e;
        }
    }

    /**
     * The JVM command line {@code command} with its temporary directory in {@code dir/tmp}: for a
     * process a test kills with SIGKILL, which cannot remove Flink's working directories
     * (minicluster_*), so that they go with the test's own directory rather than stay in the
     * machine's /tmp; and for a test that checks what a command leaves there.
     */
    static List<String> withOwnTmp(Path dir, List<String> command) throws IOException {
        List<String> own = new ArrayList<>(command);
        own.add(1, "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
        return own;
    }

    private static TapioProcess launch(Path dir, List<String> command) throws IOException {
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("TAPIO_HOME", dir.resolve("home").toString());
        builder.environment().put("XDG_RUNTIME_DIR", dir.resolve("runtime").toString());
        return new TapioProcess(builder.start(), out, err);
    }

    /** The command line of {@code tapio args...} in a new JVM, logging to {@code logFile}. */
    static List<String> command(Path logFile, String... args) {
        return command(System.getProperty("java.class.path"), logFile, args);
    }

    /** The same, with the class path {@code tapio} runs with (no test classes) less Flink's planner. */
    static List<String> commandWithoutPlanner(Path logFile, String... args) {
        return command(
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(entry -> !entry.contains("flink-table-planner"))
                        .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("-tests.jar"))
                        .collect(Collectors.joining(File.pathSeparator)),
                logFile,
                args);
    }

    private static List<String> command(String classPath, Path logFile, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "@" + JVM_OPTIONS.toAbsolutePath(),
                // The command line's own log configuration, not the tests' that the test class
                // path would pick, to where the launcher has it: what it prints is what a user sees.
                "-Dlog4j2.configurationFile="
                        + Objects.requireNonNull(Tapio.class.getClassLoader().getResource(LOG_CONFIG), LOG_CONFIG),
                "-Dlog.file=" + logFile,
                "-cp",
                classPath,
                Tapio.class.getName()));
        if (args.length > 0 && NODE_COMMANDS.contains(args[0])) {
            command.add(2, "@" + NODE_OPTIONS.toAbsolutePath());
        }
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code tapio run args...} with its three ports chosen by the system, so that runs never collide. */
    static TapioProcess startRun(Path dir, String... args) throws IOException {
        List<String> run = new ArrayList<>(List.of("run"));
        run.addAll(List.of(args));
        run.addAll(List.of("--ui-port", "0", "--metrics-port", "0", "--status-port", "0"));
        return start(dir, run.toArray(String[]::new));
    }

    /**
     * Runs {@code tapio check --json} until the status it prints satisfies {@code until}.
     *
     * @return that check
     * @throws AssertionError with the last check when none did within {@code timeout}
     */
    static Exit awaitCheck(Path dir, Duration timeout, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exit check;
        do {
            check = exec(dir, "check", "--json");
            if (check.status() != CheckCommand.CANNOT_TELL && until.test(JSON.readTree(check.out()))) {
                return check;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("tapio check never showed what was awaited; it last said " + check);
    }

    /** Runs {@code tapio args...} to its end (at most a minute), its standard input empty. */
    static Exit exec(Path dir, String... args) throws Exception {
        try (TapioProcess tapio = start(dir, args)) {
            return tapio.endInput().await(Duration.ofMinutes(1));
        }
    }

    /** Starts {@code tapio args...} with its JVM's temporary directory in {@code dir/tmp} ({@link #withOwnTmp}). */
    static TapioProcess startWithOwnTmp(Path dir, String... args) throws IOException {
        return launch(dir, withOwnTmp(dir, command(dir.resolve("home/tapio.log"), args)));
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Whether it ends within {@code timeout}. */
    boolean endsWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The addresses it listens on. */
    List<String> listening() throws IOException {
        return Listeners.of(process.pid());
    }

    /** Types {@code text} into its standard input. */
    TapioProcess type(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
        return this;
    }

    /** Closes its standard input, as the end of a file piped in does. */
    TapioProcess endInput() throws IOException {
        process.getOutputStream().close();
        return this;
    }

    /** What it printed on standard output so far. */
    String out() throws IOException {
        return Files.readString(out);
    }

    String err() throws IOException {
        return Files.readString(err);
    }

    /** Waits until standard output contains {@code text}; fails when the process ends first or the time is up. */
    void awaitOutput(String text, Duration timeout) throws Exception {
        awaitOutput(Pattern.compile(Pattern.quote(text)), timeout);
    }

    /** Waits until standard output has a match of {@code pattern}, and returns it. */
    Matcher awaitOutput(Pattern pattern, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Matcher found;
        while (!(found = pattern.matcher(out())).find()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("tapio never printed '" + pattern + "'; it "
                        + (process.isAlive() ? "runs" : "exited with " + process.exitValue()) + ". Output:\n"
                        + out() + "\nErrors:\n" + err());
            }
            Thread.sleep(200);
        }
        return found;
    }

    /** The port of the SQL service this {@code tapio sql --serve} started ({@link #serveSql}). */
    int sqlPort() throws Exception {
        return Integer.parseInt(awaitOutput(SERVING, Duration.ZERO).group(1));
    }

    /** Waits for the end; a process still running at the timeout is killed and fails the test. */
    Exit await(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(
                    "tapio did not end within " + timeout + ". Output:\n" + out() + "\nErrors:\n" + err());
        }
        return new Exit(process.exitValue(), out(), err());
    }

    /** Kills it as the OOM killer would (SIGKILL): it cleans nothing up. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Stops it as Ctrl-C would, then for good if it does not end in a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
