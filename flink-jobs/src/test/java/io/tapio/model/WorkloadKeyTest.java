package io.tapio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tapio.ebpf.abi.EventSubject;
import io.tapio.ebpf.abi.Exec;
import io.tapio.ebpf.abi.KernelEvent;
import org.junit.jupiter.api.Test;

/** The key of each of a node's interleaved workloads is built once, not once per event. */
class WorkloadKeyTest {
    private static final KernelEvent EXEC =
            KernelEvent.of(new EventSubject(1, 0, 100, 100, 42, "probe"), new Exec(1, "/usr/bin/probe"));

    private static Workload host(long cgroup) {
        return Workload.host(new Workload.Cgroup("node-1", cgroup, ""));
    }

    @Test
    void interleavedWorkloadsKeepTheirKeys() {
        WorkloadKey keys = new WorkloadKey();
        Workload a = host(1);
        Workload b = host(2);

        String first = keys.getKey(new EnrichedEvent(EXEC, a));
        assertEquals("node-1/cgroup/2", keys.getKey(new EnrichedEvent(EXEC, b)));
        assertSame(first, keys.getKey(new EnrichedEvent(EXEC, a)), "a's key was built again");
        assertEquals("node-1/cgroup/1", first);
    }
}
