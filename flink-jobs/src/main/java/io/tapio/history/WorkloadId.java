package io.tapio.history;

import io.tapio.model.Workload;
import java.io.Serial;
import java.io.Serializable;

/**
 * A workload as the history's tables record it: what {@code tapio regress} reads back from
 * {@code rollups}, and what a benchmark case is named as in {@code regressions}.
 *
 * @param key the {@code workload_key}: what history is keyed by
 * @param name the {@code workload} column: as a person names it
 * @param namespace and the following: null where they do not apply
 */
public record WorkloadId(
        String key,
        String name,
        String node,
        String namespace,
        String pod,
        String container,
        String ownerKind,
        String ownerName,
        String unit)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static WorkloadId of(Workload w) {
        return new WorkloadId(
                w.key(),
                w.displayName(),
                w.node(),
                blankToNull(w.pod().namespace()),
                blankToNull(w.pod().name()),
                blankToNull(w.container().name()),
                blankToNull(w.owner().kind()),
                blankToNull(w.owner().name()),
                blankToNull(w.unit()));
    }

    /** A benchmark case of Tapio's own, on the machine it ran on. */
    public static WorkloadId benchmark(String benchmark, String caseName, String host) {
        return new WorkloadId(
                "bench/" + benchmark + "/" + caseName,
                "tapio bench " + benchmark + ", " + caseName,
                host,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
