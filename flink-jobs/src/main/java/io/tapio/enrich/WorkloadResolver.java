package io.tapio.enrich;

import io.tapio.model.Workload;

/**
 * Who a cgroup belongs to. Called on the streaming job's task thread for every event, so it
 * never waits for the Kubernetes API or a walk of the cgroup hierarchy: it answers with the
 * best identity known now, which gets more precise as the API catches up.
 */
public interface WorkloadResolver extends AutoCloseable {
    /**
     * The workload of the cgroup with this v2 id (what the kernel puts in every event); a
     * node-level identity when the cgroup is unknown. Never throws for any id.
     */
    Workload resolve(long cgroupId);

    @Override
    void close();
}
