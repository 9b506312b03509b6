package io.tapio.status;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every {@code tapio run} this user runs, whatever {@code --data-dir} it was started with, so
 * that {@code tapio check} finds it: its status port and data directory in this user's {@link
 * ProcessRegistry}.
 */
public final class RunningInstances {
    private final ProcessRegistry registry;

    /** A running instance and the data directory it keeps its state in. */
    public record Running(StatusStore.Instance instance, Path dataDir) {}

    public RunningInstances(ProcessRegistry registry) {
        this.registry = registry;
    }

    public static RunningInstances forThisUser() {
        return new RunningInstances(ProcessRegistry.forThisUser(""));
    }

    public void register(StatusStore.Instance instance, Path dataDir) {
        registry.register(
                instance.pid(),
                List.of(
                        Integer.toString(instance.statusPort()),
                        dataDir.toAbsolutePath().toString()));
    }

    public void unregister(long pid) {
        registry.unregister(pid);
    }

    /** The instances whose process still runs. */
    public List<Running> list() {
        List<Running> running = new ArrayList<>();
        for (Map.Entry<Long, List<String>> e : registry.list().entrySet()) {
            try {
                running.add(new Running(
                        new StatusStore.Instance(
                                e.getKey(), Integer.parseInt(e.getValue().get(0))),
                        Path.of(e.getValue().get(1))));
            } catch (RuntimeException unreadable) {
                // Not a run's file: nothing to find there.
            }
        }
        return running;
    }
}
