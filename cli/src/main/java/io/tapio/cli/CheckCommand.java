package io.tapio.cli;

import io.tapio.status.RunningInstances;
import io.tapio.status.StatusClient;
import io.tapio.status.StatusJson;
import io.tapio.status.StatusStore;
import io.tapio.status.StatusView;
import io.tapio.status.TapioStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tapio check}: the state of the local Tapio in one screen, and an exit code to alert on. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "The state of the local Tapio in one screen: is it running, events/s, latency, drops with "
                    + "the playbook's hint for each symptom, and the latest findings.",
            "Reads the running instance (without --data-dir: the one that runs, whatever its data directory), "
                    + "or what the last run left in --data-dir.",
            "Exit status: 0 healthy with no finding of severity warning or above; 1 otherwise; 2 cannot tell."
        })
final class CheckCommand implements Callable<Integer> {
    static final int HEALTHY = 0;
    static final int UNHEALTHY = 1;
    static final int CANNOT_TELL = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the status as JSON (the format is stable; see README).")
    boolean json;

    @Option(
            names = "--since",
            defaultValue = "15m",
            converter = DurationConverter.class,
            description = "Findings seen within this much time (default: ${DEFAULT-VALUE}).")
    Duration since;

    @Option(names = "--data-dir", paramLabel = "DIR", description = DataDir.DESCRIPTION)
    Path dataDir;

    @Override
    public Integer call() throws IOException {
        StatusStore store = new StatusStore(DataDir.orDefault(dataDir));
        List<RunningInstances.Running> elsewhere =
                RunningInstances.forThisUser().list();
        // Without --data-dir, the one Tapio that runs is the one meant, wherever it keeps its state.
        Optional<TapioStatus> found = store.runningInstance()
                .flatMap(StatusClient::fetch)
                .or(() -> dataDir == null && elsewhere.size() == 1
                        ? StatusClient.fetch(elsewhere.getFirst().instance())
                        : Optional.empty());
        if (found.isEmpty() && !elsewhere.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("tapio: no Tapio runs with " + DataDir.orDefault(dataDir) + "; running:");
            elsewhere.forEach(
                    r -> err.println("  pid " + r.instance().pid() + ": ./tapio check --data-dir " + r.dataDir()));
            err.flush();
        }
        found = found.or(() -> last(store));
        if (found.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println("tapio: no Tapio runs here and no run left its state in " + DataDir.orDefault(dataDir)
                            + ": start one with ./tapio run");
            return CANNOT_TELL;
        }
        TapioStatus status = withinWindow(found.get());
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? StatusJson.write(status) + "\n" : StatusView.render(status));
        out.flush();
        return status.health().healthy() ? HEALTHY : UNHEALTHY;
    }

    private static Optional<TapioStatus> last(StatusStore store) {
        try {
            return store.lastStatus().map(TapioStatus::stopped);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private TapioStatus withinWindow(TapioStatus status) {
        Instant from = Instant.now().minus(since);
        List<TapioStatus.Finding> recent = status.findings().stream()
                .filter(f -> Instant.parse(f.lastSeen()).isAfter(from))
                .toList();
        return status.withFindings(recent);
    }
}
