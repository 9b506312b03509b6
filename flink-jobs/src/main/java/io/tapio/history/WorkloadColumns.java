package io.tapio.history;

import io.tapio.model.Workload;

/** The workload columns every history table but bench_runs shares. */
final class WorkloadColumns {
    private WorkloadColumns() {}

    static RowBuilder.Row set(RowBuilder.Row row, Workload w) {
        return row.set("workload_key", w.key())
                .set("workload", w.displayName())
                .set("node", w.node())
                .setOrNull("namespace", w.namespace())
                .setOrNull("pod", w.pod())
                .setOrNull("container", w.container())
                .setOrNull("owner_kind", w.ownerKind())
                .setOrNull("owner_name", w.ownerName())
                .setOrNull("unit", w.unit());
    }
}
