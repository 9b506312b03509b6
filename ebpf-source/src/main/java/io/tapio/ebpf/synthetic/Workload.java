package io.tapio.ebpf.synthetic;

import io.tapio.ebpf.abi.EventHeader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The workload an injected fault happens in: its cgroup, which no other simulated workload
 * shares, and the name of its process.
 *
 * @param comm fits a record's comm whole, so that every event of the fault carries it unchanged
 */
public record Workload(long cgroupId, String comm) implements Serializable {
    public Workload {
        Objects.requireNonNull(comm, "comm");
        if (cgroupId <= 0) {
            throw new IllegalArgumentException("a cgroup id is positive, not " + cgroupId);
        }
        int length = comm.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length >= EventHeader.COMM_LEN) {
            throw new IllegalArgumentException(
                    "comm must be 1 to " + (EventHeader.COMM_LEN - 1) + " bytes, not '" + comm + "'");
        }
    }
}
