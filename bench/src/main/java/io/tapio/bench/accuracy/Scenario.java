package io.tapio.bench.accuracy;

import io.tapio.testing.WorkloadCgroup;
import java.util.Set;

/**
 * One real fault the accuracy suite makes happen on this machine, in a cgroup of its own,
 * and the finding it must produce. To add a scenario: implement this (see {@link Scenarios})
 * and list it in {@link Scenarios#all()}.
 */
public interface Scenario {
    String name();

    /** The pattern that must find it, in the scenario's workload. */
    String expectedPattern();

    /**
     * Other patterns that are also true of the scenario's workload (a shell retrying a refused
     * connect is also a command failing in a loop): reporting them is not a false positive.
     */
    default Set<String> alsoTrue() {
        return Set.of();
    }

    /**
     * Whether the fault also harms workloads outside its own (a CPU hog starves everything on
     * its CPU): then that pattern is true of any workload while it runs.
     */
    default boolean harmsOthers() {
        return false;
    }

    /** The memory limit of the scenario's cgroup; 0 for none. */
    default long memoryLimitBytes() {
        return 0;
    }

    /** Makes the fault happen, in {@code cgroup}, and returns when it is done (bounded: seconds). */
    void run(WorkloadCgroup cgroup) throws Exception;
}
